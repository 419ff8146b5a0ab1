-- One row per booking that was ever held pretrial: how long pretrial detention
-- lasted (so far, or until sentencing or release), the top charge, the person's
-- prior court cases and convictions, and whether they were booked again within
-- a year. Contract-enforced: analysts and partner reports read it.
-- * released_date: the first roster scrape that no longer lists the booking.
-- * days_detained_pretrial: booked date → first scrape listing it Sentenced,
--   else released_date, else the latest roster date (still held pretrial).
-- * prior cases: cases linked to the person by exact name + DOB (person-history
--   search or a resolved court party) filed before the booking date; a prior
--   conviction is such a case with a Guilty disposition dated before the
--   booking.
-- * rebooked within 365 days: another booking of the same person booked after
--   this one and no later than 365 days after its release (or its booking, if
--   still held).

with

stays as (

    select * from {{ ref('int_booking_stays_derived') }}

),

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

pretrial as (

    select
        stays.*,
        bookings.booking_id,
        bookings.person_id
    from stays
    inner join bookings
        on stays.booking_number = bookings.booking_number
    where stays.was_pretrial

),

ranked_charges as (

    select
        booking_charges.*,
        row_number() over (
            partition by booking_charges.booking_number
            order by
                coalesce(booking_charges.severity_rank, 99),
                booking_charges.charge_seq
        ) as severity_order
    from booking_charges

),

charge_summary as (

    select
        booking_number,
        count(*) as charge_count,
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
    group by booking_number

),

convictions as (

    -- current cases with a guilty disposition, and its first date
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
    where court_charges.disposition = 'Guilty'
    group by court_charges.court, court_charges.case_number

),

priors as (

    select
        pretrial.booking_number,
        count(distinct person_cases.case_id) as prior_case_count,
        count(
            distinct case
                when convictions.convicted_date < pretrial.booked_date
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
        and person_cases.filed_date < pretrial.booked_date
    group by pretrial.booking_number

),

rebookings as (

    select
        pretrial.booking_number,
        count(*) as later_booking_count
    from pretrial
    inner join bookings as later_bookings
        on
            pretrial.person_id = later_bookings.person_id
            and pretrial.booked_date < later_bookings.booked_date
            and later_bookings.booked_date <= {{ add_days(
                'coalesce(pretrial.released_date, pretrial.booked_date)', 365
            ) }}
    group by pretrial.booking_number

),

final as (

    select
        pretrial.booking_id,
        pretrial.booking_number,
        pretrial.person_id,
        pretrial.custody_status,
        charge_summary.top_charge_degree,
        charge_summary.top_charge_class,
        charge_summary.top_charge_label,
        cast(
            {{ days_between(
                'pretrial.booked_date',
                'coalesce(pretrial.pretrial_end_date, pretrial.as_of_date)'
            ) }} as integer
        ) as days_detained_pretrial,
        cast(
            coalesce(charge_summary.charge_count, 0) as integer
        ) as charge_count,
        cast(
            coalesce(priors.prior_case_count, 0) as integer
        ) as prior_case_count,
        cast(
            coalesce(priors.prior_conviction_count, 0) as integer
        ) as prior_conviction_count,
        pretrial.is_released,
        pretrial.pretrial_end_date is null as is_still_pretrial,
        coalesce(
            rebookings.later_booking_count > 0, false
        ) as is_rebooked_within_365_days,
        pretrial.booked_date,
        pretrial.released_date,
        pretrial.pretrial_end_date,
        pretrial.last_seen_date,
        pretrial.as_of_date,
        cast(extract(year from pretrial.booked_date) as integer) as booked_year
    from pretrial
    left join charge_summary
        on pretrial.booking_number = charge_summary.booking_number
    left join priors
        on pretrial.booking_number = priors.booking_number
    left join rebookings
        on pretrial.booking_number = rebookings.booking_number

)

select * from final
