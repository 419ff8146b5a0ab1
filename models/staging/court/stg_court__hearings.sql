-- Hearings of each case's latest scrape that lists hearings, tombstoned cases
-- removed, keyed by hearing_key (stable across visits: the case page prints no
-- hearing id; hearing_id and courtroom come from the hearing search, when it
-- ran). Marts join them on the case's latest scrape_date.
-- Incremental like stg_court__cases.

with

source as (

    {{ latest_case_children(source('court', 'court_hearings')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('hearing_key') }} as hearing_key,
        {{ clean_text('hearing_id') }} as hearing_id,
        {{ clean_text('hearing_time') }} as hearing_time,
        {{ clean_text('hearing_type') }} as hearing_type,
        {{ clean_text('original_type') }} as original_hearing_type,
        {{ clean_text('courtroom') }} as courtroom,
        {{ clean_text('judicial_officer') }} as judicial_officer,
        {{ clean_text('cancel_reason') }} as cancel_reason,
        {{ clean_text('result') }} as hearing_result,
        {{ clean_text('comment') }} as hearing_comment,
        {{ clean_text('page_sha256') }} as page_sha256,
        coalesce(is_canceled, false) as is_canceled,
        {{ parse_iso_date('hearing_date') }} as hearing_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
