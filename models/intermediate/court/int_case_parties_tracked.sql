-- One row per party identity (party_key of int_case_parties_identified): when
-- it was first and last listed, the name it was last listed under, and whether
-- it has left the docket (is_removed: the case's latest visit no longer lists
-- it; removed_date: the first visit that did not).

with

identified as (

    select * from {{ ref('int_case_parties_identified') }}

),

case_visits as (

    select distinct
        court,
        case_number,
        scrape_date
    from identified

),

latest_case_visits as (

    select
        court,
        case_number,
        max(scrape_date) as latest_visit_date
    from case_visits
    group by court, case_number

),

ranked as (

    select
        identified.*,
        row_number() over (
            partition by identified.party_key
            order by identified.scrape_date desc
        ) as recency
    from identified

),

identities as (

    select
        party_key,
        court,
        case_number,
        min(scrape_date) as first_seen_date,
        max(scrape_date) as last_seen_date,
        max(case when is_ambiguous then 1 else 0 end) = 1 as is_ambiguous
    from identified
    group by party_key, court, case_number

),

removals as (

    select
        identities.party_key,
        min(case_visits.scrape_date) as removed_date
    from identities
    inner join case_visits
        on
            identities.court = case_visits.court
            and identities.case_number = case_visits.case_number
            and identities.last_seen_date < case_visits.scrape_date
    group by identities.party_key

),

final as (

    select
        identities.party_key,
        identities.court,
        identities.case_number,
        ranked.role_family,
        ranked.party_name as latest_party_name,
        ranked.party_seq as latest_party_seq,
        identities.is_ambiguous,
        (
            identities.last_seen_date < latest_case_visits.latest_visit_date
        ) as is_removed,
        identities.first_seen_date,
        identities.last_seen_date,
        removals.removed_date
    from identities
    inner join ranked
        on
            identities.party_key = ranked.party_key
            and ranked.recency = 1
    inner join latest_case_visits
        on
            identities.court = latest_case_visits.court
            and identities.case_number = latest_case_visits.case_number
    left join removals
        on identities.party_key = removals.party_key

)

select * from final
