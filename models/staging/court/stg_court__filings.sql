-- Cases found by the discovery search, latest scrape per case, tombstoned cases
-- removed.
-- Incremental like stg_court__cases.

with

source as (

    select * from {{ source('court', 'court_filings') }}
    where {{ is_new_partition() }}

),

removals as (

    select * from {{ source('court', 'court_removals') }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('case_type') }} as case_type,
        {{ clean_text('style') }} as case_style,
        {{ clean_text('party_name') }} as party_name,
        {{ clean_text('status') }} as status,
        {{ parse_iso_date('filed_date') }} as filed_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.court, renamed.case_number
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

latest as (

    select
        court,
        case_number,
        case_type,
        case_style,
        party_name,
        status,
        filed_date,
        scrape_date,
        scraped_at
    from ranked
    where version_rank = 1

),

tombstones as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        max({{ parse_iso_date('detected_date') }}) as removed_date
    from removals
    group by trim(court), trim(case_number)

),

kept as (

    select latest.*
    from latest
    left join tombstones
        on
            latest.court = tombstones.court
            and latest.case_number = tombstones.case_number
    where
        tombstones.removed_date is null
        or latest.scrape_date > tombstones.removed_date

),

final as (

    select * from kept

)

select * from final
