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

removals as (

    select * from {{ source('court', 'court_removals') }}

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

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.court, renamed.case_number, renamed.scrape_date
            order by renamed.scraped_at desc, renamed.page_sha256 desc
        ) as visit_rank
    from renamed

),

latest as (

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
        scraped_at
    from ranked
    where visit_rank = 1

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
