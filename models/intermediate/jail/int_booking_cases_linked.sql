-- The court cases of each booking, one row per booking and case number: every
-- case its charges and bonds name (latest person page), and the person's
-- criminal cases filed during the stay (by person resolution, exact name + DOB:
-- the indictment after a bind-over is filed while the person is held, and no
-- charge names it). Each with the case as the lake has it now (none when it
-- was never found, or was sealed) and its outcome from its charges'
-- dispositions (seed charge_dispositions): the first conviction, and the date
-- its prosecution ended (every charge disposed by a disposition that ends it).

with

stays as (

    select * from {{ ref('int_booking_stays_derived') }}

),

bookings as (

    select * from {{ ref('stg_jail__bookings') }}

),

charges as (

    select * from {{ ref('stg_jail__booking_charges') }}

),

bonds as (

    select * from {{ ref('stg_jail__booking_bonds') }}

),

mentions as (

    select * from {{ ref('int_person_mentions_resolved') }}

),

person_cases as (

    select * from {{ ref('int_person_cases_matched') }}

),

cases as (

    select * from {{ ref('int_cases_classified') }}

),

court_charges as (

    select * from {{ ref('stg_court__charges') }}

),

dispositions as (

    select * from {{ ref('charge_dispositions') }}

),

current_charges as (

    {{ current_page_rows('charges', 'bookings') }}

),

current_bonds as (

    {{ current_page_rows('bonds', 'bookings') }}

),

booking_people as (

    select
        booking_key,
        person_id
    from mentions
    where source_type = 'jail_booking' and person_id is not null

),

stay_cases as (

    select
        stays.booking_key,
        person_cases.case_number
    from stays
    inner join booking_people
        on stays.booking_key = booking_people.booking_key
    inner join person_cases
        on booking_people.person_id = person_cases.person_id
    where
        person_cases.case_kind = 'criminal'
        and person_cases.match_rule = 'exact_name_dob'
        and person_cases.filed_date >= stays.commitment_date
        and person_cases.filed_date
        <= coalesce(stays.release_date, stays.as_of_date)

),

links as (

    select
        booking_key,
        court_case_number,
        1 as charge_count,
        0 as bond_count,
        0 as unposted_bond_count,
        0 as is_filed_during_stay
    from current_charges
    where court_case_number is not null

    union all

    select
        booking_key,
        court_case_number,
        0 as charge_count,
        1 as bond_count,
        case when is_posted then 0 else 1 end as unposted_bond_count,
        0 as is_filed_during_stay
    from current_bonds
    where court_case_number is not null

    union all

    select
        booking_key,
        case_number as court_case_number,
        0 as charge_count,
        0 as bond_count,
        0 as unposted_bond_count,
        1 as is_filed_during_stay
    from stay_cases

),

linked as (

    select
        booking_key,
        court_case_number,
        sum(charge_count) as charge_count,
        sum(bond_count) as bond_count,
        sum(unposted_bond_count) as unposted_bond_count,
        max(is_filed_during_stay) as is_filed_during_stay
    from links
    group by booking_key, court_case_number

),

criminal_cases as (

    -- case numbers are unique per kind and year; keep one case per number
    select
        case_id,
        court,
        case_number,
        status,
        filed_date,
        scrape_date,
        row_number() over (
            partition by case_number order by court
        ) as case_rank
    from cases
    where case_kind = 'criminal'

),

case_dispositions as (

    -- the charges of each case's current version, with their disposition class
    select
        court_charges.court,
        court_charges.case_number,
        court_charges.disposition_date,
        coalesce(dispositions.is_conviction, false) as is_conviction,
        coalesce(dispositions.ends_prosecution, false) as ends_prosecution
    from court_charges
    inner join criminal_cases
        on
            court_charges.court = criminal_cases.court
            and court_charges.case_number = criminal_cases.case_number
            and court_charges.scrape_date = criminal_cases.scrape_date
    left join dispositions
        on court_charges.disposition = dispositions.disposition

),

case_outcomes as (

    select
        court,
        case_number,
        min(
            case when is_conviction then disposition_date end
        ) as convicted_date,
        case
            when min(case when ends_prosecution then 1 else 0 end) = 1
                then max(disposition_date)
        end as prosecution_ended_date
    from case_dispositions
    group by court, case_number

),

final as (

    select
        {{ surrogate_key(['linked.booking_key', 'linked.court_case_number']) }}
            as booking_case_id,
        linked.booking_key,
        criminal_cases.case_id,
        linked.court_case_number,
        criminal_cases.court,
        criminal_cases.status as case_status,
        cast(linked.charge_count as integer) as charge_count,
        cast(linked.bond_count as integer) as bond_count,
        cast(linked.unposted_bond_count as integer) as unposted_bond_count,
        criminal_cases.case_id is not null as is_case_found,
        linked.is_filed_during_stay = 1 as is_filed_during_stay,
        criminal_cases.filed_date,
        case_outcomes.convicted_date,
        case_outcomes.prosecution_ended_date
    from linked
    left join criminal_cases
        on
            linked.court_case_number = criminal_cases.case_number
            and criminal_cases.case_rank = 1
    left join case_outcomes
        on
            criminal_cases.court = case_outcomes.court
            and criminal_cases.case_number = case_outcomes.case_number

)

select * from final
