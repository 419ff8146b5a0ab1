-- The tombstones: one row per removed case (the latest tombstone if issued
-- again). Kept (not filtered) so deliveries can send withdrawal lists.

with

source as (

    select * from {{ source('court', 'court_removals') }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('reason') }} as removal_reason,
        {{ parse_iso_date('detected_date') }} as removed_date,
        {{ parse_iso_date('last_found_date') }} as last_found_date,
        {{ partition_date('scrape_date') }} as scrape_date
    from source

),

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.court, renamed.case_number
            order by renamed.removed_date desc, renamed.scrape_date desc
        ) as removal_rank
    from renamed

),

final as (

    select
        {{ surrogate_key(['court', 'case_number']) }} as case_id,
        court,
        case_number,
        removal_reason,
        removed_date,
        last_found_date,
        scrape_date
    from ranked
    where removal_rank = 1

)

select * from final
