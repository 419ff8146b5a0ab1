-- The parties of every visit of every case (not only the latest): the history
-- that party identity is carried forward through (int_case_parties_identified).
-- One row per case, scrape date and position; when a case was visited twice on
-- one scrape date, the later visit's list. A tombstone removes the visits up to
-- its date. Incremental like stg_court__case_visits: a run appends the new
-- partitions' visits; its pre-hook deletes the visits of cases tombstoned since
-- (history is never replaced).

with

source as (

    select * from {{ source('court', 'court_parties') }}
    where {{ is_new_partition() }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(party_seq as integer) as party_seq,
        {{ clean_text('role') }} as party_role,
        {{ clean_text('name') }} as party_name,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked_visits as (

    -- the visits of each case and scrape date, the latest first
    select
        visits.*,
        rank() over (
            partition by visits.court, visits.case_number, visits.scrape_date
            order by visits.scraped_at desc, visits.page_sha256 desc
        ) as visit_rank
    from (
        select distinct
            court,
            case_number,
            scrape_date,
            scraped_at,
            page_sha256
        from renamed
    ) as visits

),

tombstones as (

    {{ case_tombstones() }}

),

latest_visits as (

    select ranked_visits.*
    from ranked_visits
    left join tombstones
        on
            ranked_visits.court = tombstones.court
            and ranked_visits.case_number = tombstones.case_number
    where
        ranked_visits.visit_rank = 1
        and (
            tombstones.removed_date is null
            or ranked_visits.scrape_date > tombstones.removed_date
        )

),

final as (

    select
        renamed.court,
        renamed.case_number,
        renamed.party_seq,
        renamed.party_role,
        renamed.party_name,
        renamed.page_sha256,
        renamed.scrape_date,
        renamed.scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from renamed
    inner join latest_visits
        on
            renamed.court = latest_visits.court
            and renamed.case_number = latest_visits.case_number
            and renamed.scrape_date = latest_visits.scrape_date
            and renamed.scraped_at is not distinct from latest_visits.scraped_at
            and renamed.page_sha256
            is not distinct from latest_visits.page_sha256

)

select * from final
