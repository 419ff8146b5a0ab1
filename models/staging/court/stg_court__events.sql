-- Docket events of each case's latest scrape that lists events, tombstoned
-- cases removed. Incremental like stg_court__cases; marts join events on the
-- case's latest scrape_date.

with

source as (

    {{ latest_case_children(source('court', 'court_events')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(event_seq as integer) as event_seq,
        {{ clean_text('event_type') }} as event_type,
        {{ clean_text('comment') }} as event_comment,
        {{ clean_text('documents_json') }} as documents_json,
        {{ clean_text('attributes_json') }} as event_attributes_json,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_iso_date('event_date') }} as event_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
