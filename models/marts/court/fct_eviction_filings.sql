-- One row per eviction case × defendant (the "ALL OTHER OCCUPANTS"
-- pseudo-party, also printed "AND ALL OTHER OCCUPANTS" or "all others", is not
-- a defendant; has_other_occupants flags the case instead), keyed by the
-- defendant's stable identity (int_case_parties_identified), with the
-- defendant's lead attorney (int_lead_attorneys_picked). Current cases only
-- (latest version; sealed and expunged cases are gone). Contract-enforced: the
-- partner deliveries select from it.

-- Incremental: rewrites the cases re-scraped since the last run (see
-- dbt_project.yml).
-- depends_on: {{ ref('stg_court__removals') }}

with

cases as (

    select * from {{ ref('int_cases_classified') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

parties as (

    select * from {{ ref('stg_court__parties') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

addresses as (

    select * from {{ ref('int_party_addresses_split') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

hearings as (

    select * from {{ ref('stg_court__hearings') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

judgments as (

    select * from {{ ref('stg_court__judgments') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

events as (

    select * from {{ ref('stg_court__events') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

lead_attorneys as (

    select * from {{ ref('int_lead_attorneys_picked') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

party_identities as (

    select * from {{ ref('int_case_parties_identified') }}
    where {{ is_changed_case('scrape_date', 'last_scraped_date') }}

),

tracked_parties as (

    select * from {{ ref('int_case_parties_tracked') }}

),

eviction_cases as (

    select * from cases
    where case_kind = 'eviction'

),

case_parties as (

    select
        parties.*,
        coalesce({{ regex_matches(
            'upper(parties.party_name)',
            '^(AND )?ALL OTHERS?( OCCUPANTS)?$'
        ) }}, false) as is_other_occupants
    from parties
    inner join eviction_cases
        on
            parties.court = eviction_cases.court
            and parties.case_number = eviction_cases.case_number
            and parties.scrape_date = eviction_cases.scrape_date

),

defendants as (

    select * from case_parties
    where party_role = 'Defendant' and not is_other_occupants

),

party_summary as (

    select
        court,
        case_number,
        {{ string_agg_ordered(
            "case when party_role = 'Plaintiff' then party_name end",
            '; ',
            'party_seq'
        ) }} as plaintiff_name,
        sum(
            case
                when party_role = 'Defendant' and not is_other_occupants then 1
                else 0
            end
        ) as defendant_count,
        max(case when is_other_occupants then 1 else 0 end) = 1
            as has_other_occupants
    from case_parties
    group by court, case_number

),

first_addresses as (

    select * from addresses
    where address_seq = 1

),

address_counts as (

    select
        court,
        case_number,
        party_seq,
        count(*) as address_count
    from addresses
    group by court, case_number, party_seq

),

next_hearings as (

    select
        hearings.court,
        hearings.case_number,
        min(hearings.hearing_date) as next_hearing_date
    from hearings
    inner join eviction_cases
        on
            hearings.court = eviction_cases.court
            and hearings.case_number = eviction_cases.case_number
            and hearings.scrape_date = eviction_cases.scrape_date
    where
        not hearings.is_canceled
        and hearings.hearing_date >= hearings.scrape_date
    group by hearings.court, hearings.case_number

),

ranked_judgments as (

    select
        judgments.*,
        row_number() over (
            partition by judgments.court, judgments.case_number
            order by judgments.judgment_date desc, judgments.judgment_seq desc
        ) as judgment_rank
    from judgments
    inner join eviction_cases
        on
            judgments.court = eviction_cases.court
            and judgments.case_number = eviction_cases.case_number
            and judgments.scrape_date = eviction_cases.scrape_date

),

latest_judgments as (

    select * from ranked_judgments
    where judgment_rank = 1

),

writs as (

    -- cases whose docket shows a writ (the others get false in `final`)
    select distinct
        events.court,
        events.case_number,
        true as has_writ
    from events
    inner join eviction_cases
        on
            events.court = eviction_cases.court
            and events.case_number = eviction_cases.case_number
            and events.scrape_date = eviction_cases.scrape_date
    where
        events.event_type in (
            'Writ of Possession Issued', 'Writ of Possession Served'
        )

),

final as (

    select
        party_identities.party_key as defendant_party_id,
        eviction_cases.case_id,
        eviction_cases.court,
        eviction_cases.court_code,
        eviction_cases.case_number,
        defendants.party_name as defendant_name,
        first_addresses.address_normalized as defendant_address,
        defendants.address_raw as defendant_address_raw,
        first_addresses.zip as defendant_zip,
        lead_attorneys.attorney_name as defendant_attorney_name,
        lead_attorneys.attorney_kind as defendant_attorney_kind,
        party_summary.plaintiff_name,
        eviction_cases.status,
        eviction_cases.status_class,
        latest_judgments.judgment_type,
        eviction_cases.change_hash,
        cast(defendants.party_seq as integer) as defendant_seq,
        cast(party_summary.defendant_count as integer) as defendant_count,
        cast(
            coalesce(address_counts.address_count, 0) as integer
        ) as defendant_address_count,
        cast(
            latest_judgments.judgment_amount as decimal(12, 2)
        ) as judgment_amount,
        defendants.address_raw is not null as has_address,
        defendants.is_pro_se as is_defendant_pro_se,
        party_summary.has_other_occupants,
        coalesce(writs.has_writ, false) as has_writ,
        coalesce(
            latest_judgments.judgment_type = 'Default Judgment', false
        ) as is_default_judgment,
        eviction_cases.filed_date,
        next_hearings.next_hearing_date,
        latest_judgments.judgment_date,
        eviction_cases.first_scraped_date,
        tracked_parties.first_seen_date as defendant_first_seen_date,
        eviction_cases.content_changed_date,
        eviction_cases.scrape_date as last_scraped_date,
        '{{ invocation_id }}' as dbt_invocation_id,
        cast(
            extract(year from eviction_cases.filed_date) as integer
        ) as filed_year
    from defendants
    inner join eviction_cases
        on
            defendants.court = eviction_cases.court
            and defendants.case_number = eviction_cases.case_number
    inner join party_summary
        on
            defendants.court = party_summary.court
            and defendants.case_number = party_summary.case_number
    inner join party_identities
        on
            defendants.court = party_identities.court
            and defendants.case_number = party_identities.case_number
            and defendants.scrape_date = party_identities.scrape_date
            and defendants.party_seq = party_identities.party_seq
    inner join tracked_parties
        on party_identities.party_key = tracked_parties.party_key
    left join first_addresses
        on
            defendants.court = first_addresses.court
            and defendants.case_number = first_addresses.case_number
            and defendants.party_seq = first_addresses.party_seq
    left join lead_attorneys
        on
            defendants.court = lead_attorneys.court
            and defendants.case_number = lead_attorneys.case_number
            and defendants.party_seq = lead_attorneys.party_seq
    left join address_counts
        on
            defendants.court = address_counts.court
            and defendants.case_number = address_counts.case_number
            and defendants.party_seq = address_counts.party_seq
    left join next_hearings
        on
            defendants.court = next_hearings.court
            and defendants.case_number = next_hearings.case_number
    left join latest_judgments
        on
            defendants.court = latest_judgments.court
            and defendants.case_number = latest_judgments.case_number
    left join writs
        on
            defendants.court = writs.court
            and defendants.case_number = writs.case_number

)

select * from final
