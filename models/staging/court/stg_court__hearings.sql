-- Hearings of each case's latest scrape that lists hearings, tombstoned cases
-- removed. Marts join them on the case's latest scrape_date.
-- Incremental like stg_court__cases.

with

source as (

    select * from {{ source('court', 'court_hearings') }}
    where {{ is_new_partition() }}

),

removals as (

    select * from {{ source('court', 'court_removals') }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('hearing_id') }} as hearing_id,
        {{ clean_text('hearing_time') }} as hearing_time,
        {{ clean_text('hearing_type') }} as hearing_type,
        {{ clean_text('courtroom') }} as courtroom,
        {{ clean_text('judicial_officer') }} as judicial_officer,
        {{ clean_text('cancel_reason') }} as cancel_reason,
        {{ clean_text('result') }} as hearing_result,
        {{ clean_text('page_sha256') }} as page_sha256,
        coalesce(is_canceled, false) as is_canceled,
        {{ parse_iso_date('hearing_date') }} as hearing_date,
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
            partition by renamed.court, renamed.case_number, renamed.hearing_id
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

latest as (

    select
        court,
        case_number,
        hearing_id,
        hearing_time,
        hearing_type,
        courtroom,
        judicial_officer,
        cancel_reason,
        hearing_result,
        page_sha256,
        is_canceled,
        hearing_date,
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
