-- Each case's latest version with its status class (seed; `unknown` when the
-- seed has no row for the status), its court code and kind, and its visit
-- history: when it was first found and since when its content (change_hash) is
-- what it is now.
-- Incremental: rewrites the cases re-scraped since the last run (pre-hook in
-- dbt_project.yml deletes them and tombstoned ones).
-- depends_on: {{ ref('stg_court__removals') }}

with

cases as (

    select * from {{ ref('stg_court__cases') }}
    where {{ is_changed_case() }}

),

visits as (

    select * from {{ ref('stg_court__case_visits') }}

),

status_map as (

    select * from {{ ref('case_status_map') }}

),

court_locations as (

    select * from {{ ref('court_locations') }}

),

found_visits as (

    select
        visits.court,
        visits.case_number,
        visits.scrape_date,
        coalesce(
            visits.change_hash = cases.change_hash, false
        ) as is_current_content
    from visits
    inner join cases
        on
            visits.court = cases.court
            and visits.case_number = cases.case_number
    where visits.is_found

),

visit_summary as (

    select
        court,
        case_number,
        min(scrape_date) as first_scraped_date,
        max(
            case when not is_current_content then scrape_date end
        ) as last_other_content_date
    from found_visits
    group by court, case_number

),

content_start as (

    -- the first visit showing the current content after any visit that did not
    select
        found_visits.court,
        found_visits.case_number,
        min(found_visits.scrape_date) as content_changed_date
    from found_visits
    inner join visit_summary
        on
            found_visits.court = visit_summary.court
            and found_visits.case_number = visit_summary.case_number
    where
        found_visits.is_current_content
        and (
            visit_summary.last_other_content_date is null
            or found_visits.scrape_date > visit_summary.last_other_content_date
        )
    group by found_visits.court, found_visits.case_number

),

final as (

    select
        {{ surrogate_key(['cases.court', 'cases.case_number']) }} as case_id,
        cases.court,
        court_locations.court_code,
        cases.case_number,
        cases.portal_case_id,
        cases.court_label,
        coalesce(
            court_locations.case_kind,
            case
                when cases.case_number like '%-GC-%' then 'eviction'
                when cases.case_number like '%-CR-%' then 'criminal'
                else 'other'
            end
        ) as case_kind,
        cases.case_type,
        cases.status,
        coalesce(status_map.status_class, 'unknown') as status_class,
        cases.case_style,
        cases.judicial_officer,
        cases.case_attributes_json,
        cases.change_hash,
        cases.page_sha256,
        cases.fees_assessed_amount,
        cases.paid_amount,
        cases.balance_due_amount,
        cases.has_financial,
        cases.filed_date,
        cases.balance_as_of_date,
        coalesce(
            visit_summary.first_scraped_date, cases.scrape_date
        ) as first_scraped_date,
        coalesce(
            content_start.content_changed_date, cases.scrape_date
        ) as content_changed_date,
        cases.scrape_date,
        cases.scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from cases
    left join status_map
        on cases.status = status_map.status
    left join court_locations
        on cases.court = court_locations.court
    left join visit_summary
        on
            cases.court = visit_summary.court
            and cases.case_number = visit_summary.case_number
    left join content_start
        on
            cases.court = content_start.court
            and cases.case_number = content_start.case_number

)

select * from final
