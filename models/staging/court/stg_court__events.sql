-- Docket events of each case's latest scrape that lists events, tombstoned
-- cases removed. Incremental like stg_court__cases; marts join events on the
-- case's latest scrape_date.

with

source as (

    select * from {{ source('court', 'court_events') }}
    where {{ is_new_partition() }}

),

removals as (

    select * from {{ source('court', 'court_removals') }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(event_seq as integer) as event_seq,
        {{ clean_text('event_type') }} as event_type,
        {{ clean_text('description') }} as event_description,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_iso_date('event_date') }} as event_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        max(renamed.scrape_date) over (
            partition by renamed.court, renamed.case_number
        ) as case_scrape_date,
        row_number() over (
            partition by renamed.court, renamed.case_number, renamed.event_seq
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

latest as (

    select
        court,
        case_number,
        event_seq,
        event_type,
        event_description,
        page_sha256,
        event_date,
        scrape_date,
        scraped_at
    from ranked
    where version_rank = 1 and scrape_date = case_scrape_date

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
