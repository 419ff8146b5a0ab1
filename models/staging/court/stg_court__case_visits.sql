-- Every visit of every case (found or not), one row per case and scrape date:
-- the history behind first-seen and last-changed dates. A tombstone removes the
-- visits up to its date. Incremental: a run appends the new partitions' visits;
-- its pre-hook deletes the visits of cases tombstoned since (history is never
-- replaced).

with

source as (

    select * from {{ source('court', 'court_case_visits') }}
    where {{ is_new_partition() }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('outcome') }} as visit_outcome,
        {{ clean_text('status') }} as status,
        {{ clean_text('change_hash') }} as change_hash,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ clean_text('outcome') }} = 'found' as is_found,
        {{ parse_iso_date('filed_date') }} as filed_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

latest as (

    {{ latest_case_versions(
        'renamed', key=['scrape_date'], tiebreak=['page_sha256']
    ) }}

),

final as (

    select
        court,
        case_number,
        visit_outcome,
        status,
        change_hash,
        page_sha256,
        is_found,
        filed_date,
        scrape_date,
        scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from latest

)

select * from final
