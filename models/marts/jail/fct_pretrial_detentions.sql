-- One row per booking whose stay began pretrial (int_booking_custody_derived:
-- not booked to serve a sentence, not a hold naming no court case): how long
-- pretrial detention lasted (so far, or until conviction or release), the
-- length of the whole stay, the inputs of the custody decision, the top charge,
-- the person's prior court cases and convictions, and whether they were booked
-- again within a year. Contract-enforced: analysts and partner reports read it.
-- * days_detained_pretrial: commitment date → pretrial_end_date (the first
--   conviction, the release, or when the booking's cases ended), else the
--   latest roster date (still pretrial).
-- * release dates: the person page's or the roster's released listing, else
--   the first roster scrape no longer listing the booking.
-- * prior cases: cases linked to the person by exact name + DOB (person-history
--   search or a resolved court party) filed before the commitment date; a
--   prior conviction is such a case with a conviction (seed
--   charge_dispositions) dated before it.
-- * rebooked within 365 days: another booking of the same person committed
--   after this one and no later than 365 days after its release (or its
--   commitment, if still held).

with

bookings as (

    select * from {{ ref('dim_bookings') }}

),

booking_charges as (

    select * from {{ ref('fct_booking_charges') }}

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

pretrial as (

    select * from bookings
    where was_held_pretrial

),

ranked_charges as (

    select
        booking_charges.*,
        row_number() over (
            partition by booking_charges.booking_id
            order by
                coalesce(booking_charges.severity_rank, 99),
                booking_charges.charge_seq
        ) as severity_order
    from booking_charges

),

charge_summary as (

    select
        booking_id,
        max(
            case when severity_order = 1 then charge_degree end
        ) as top_charge_degree,
        max(
            case when severity_order = 1 then charge_class end
        ) as top_charge_class,
        max(
            case when severity_order = 1 then charge_label end
        ) as top_charge_label
    from ranked_charges
    group by booking_id

),

convictions as (

    -- current cases with a conviction, and its first date
    select
        court_charges.court,
        court_charges.case_number,
        min(court_charges.disposition_date) as convicted_date
    from court_charges
    inner join cases
        on
            court_charges.court = cases.court
            and court_charges.case_number = cases.case_number
            and court_charges.scrape_date = cases.scrape_date
    inner join dispositions
        on court_charges.disposition = dispositions.disposition
    where dispositions.is_conviction
    group by court_charges.court, court_charges.case_number

),

priors as (

    select
        pretrial.booking_id,
        count(distinct person_cases.case_id) as prior_case_count,
        count(
            distinct case
                when convictions.convicted_date < pretrial.commitment_date
                    then person_cases.case_id
            end
        ) as prior_conviction_count
    from pretrial
    inner join person_cases
        on pretrial.person_id = person_cases.person_id
    left join convictions
        on
            person_cases.court = convictions.court
            and person_cases.case_number = convictions.case_number
    where
        person_cases.match_rule = 'exact_name_dob'
        and person_cases.filed_date < pretrial.commitment_date
    group by pretrial.booking_id

),

rebookings as (

    select
        pretrial.booking_id,
        count(*) as later_booking_count
    from pretrial
    inner join bookings as later_bookings
        on
            pretrial.person_id = later_bookings.person_id
            and pretrial.commitment_date < later_bookings.commitment_date
            and later_bookings.commitment_date <= {{ add_days(
                'coalesce(pretrial.release_date, pretrial.commitment_date)',
                365
            ) }}
    group by pretrial.booking_id

),

final as (

    select
        pretrial.booking_id,
        pretrial.booking_key,
        pretrial.booking_number,
        pretrial.person_id,
        pretrial.custody_status,
        charge_summary.top_charge_degree,
        charge_summary.top_charge_class,
        charge_summary.top_charge_label,
        pretrial.release_date_source,
        cast(
            {{ days_between(
                'pretrial.commitment_date',
                'coalesce(pretrial.pretrial_end_date, pretrial.as_of_date)'
            ) }} as integer
        ) as days_detained_pretrial,
        pretrial.days_in_custody,
        pretrial.charge_count,
        pretrial.open_charge_count,
        pretrial.unposted_bond_count,
        cast(
            coalesce(priors.prior_case_count, 0) as integer
        ) as prior_case_count,
        cast(
            coalesce(priors.prior_conviction_count, 0) as integer
        ) as prior_conviction_count,
        pretrial.has_detainer,
        pretrial.is_in_custody,
        pretrial.is_released,
        pretrial.is_held_pretrial as is_still_pretrial,
        coalesce(
            rebookings.later_booking_count > 0, false
        ) as is_rebooked_within_365_days,
        pretrial.commitment_date,
        pretrial.release_date,
        pretrial.pretrial_end_date,
        pretrial.last_seen_date,
        pretrial.as_of_date,
        cast(
            extract(year from pretrial.commitment_date) as integer
        ) as commitment_year
    from pretrial
    left join charge_summary
        on pretrial.booking_id = charge_summary.booking_id
    left join priors
        on pretrial.booking_id = priors.booking_id
    left join rebookings
        on pretrial.booking_id = rebookings.booking_id

)

select * from final
