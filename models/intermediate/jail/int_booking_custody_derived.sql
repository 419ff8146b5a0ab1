-- Why each booking is (or was, at release) held: custody status derived from
-- what the person page and the court records show, since IML prints none. The
-- status is read on the booking's last day in custody (the day before its
-- release date, else the latest roster date), and the inputs to the decision
-- are kept as columns. The rule (documented in _int_jail__models.yml):
-- * Sentenced: a court case of the booking has a conviction by that day;
-- * Pretrial: a charge is open (it names a court case that is not in the lake
--   or whose prosecution had not ended by that day; a charge naming no case is
--   open unless the page prints a detainer, which makes it another agency's
--   hold) or a bond on such a case is not posted;
-- * Hold: the page prints a detainer (held for another agency only);
-- * Unknown: none of these.
-- A detainer beside an open charge leaves the booking Pretrial, but not
-- pretrial only. The stay began pretrial unless it began after a conviction on
-- one of its cases (booked to serve a sentence) or it is a hold naming no court
-- case.

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

booking_cases as (

    select * from {{ ref('int_booking_cases_linked') }}

),

held_through as (

    select
        booking_key,
        has_detainer,
        commitment_date,
        case
            when release_date is not null
                then {{ add_days('release_date', -1) }}
            else as_of_date
        end as held_through_date
    from stays

),

current_charges as (

    {{ current_page_rows('charges', 'bookings') }}

),

current_bonds as (

    {{ current_page_rows('bonds', 'bookings') }}

),

charge_status as (

    select
        current_charges.booking_key,
        current_charges.court_case_number is not null as names_case,
        case
            when current_charges.court_case_number is null
                then not held_through.has_detainer
            else
                coalesce(
                    booking_cases.prosecution_ended_date
                    > held_through.held_through_date,
                    true
                )
        end as is_open
    from current_charges
    inner join held_through
        on current_charges.booking_key = held_through.booking_key
    left join booking_cases
        on
            current_charges.booking_key = booking_cases.booking_key
            and current_charges.court_case_number
            = booking_cases.court_case_number

),

charge_summary as (

    select
        booking_key,
        count(*) as charge_count,
        sum(case when names_case then 1 else 0 end) as case_charge_count,
        sum(case when is_open then 1 else 0 end) as open_charge_count
    from charge_status
    group by booking_key

),

bond_status as (

    select
        current_bonds.booking_key,
        current_bonds.bond_amount,
        current_bonds.is_posted,
        case
            when current_bonds.court_case_number is null
                then not held_through.has_detainer
            else
                coalesce(
                    booking_cases.prosecution_ended_date
                    > held_through.held_through_date,
                    true
                )
        end as is_case_open
    from current_bonds
    inner join held_through
        on current_bonds.booking_key = held_through.booking_key
    left join booking_cases
        on
            current_bonds.booking_key = booking_cases.booking_key
            and current_bonds.court_case_number
            = booking_cases.court_case_number

),

bond_summary as (

    select
        booking_key,
        count(*) as bond_count,
        sum(
            case when is_case_open and not is_posted then 1 else 0 end
        ) as unposted_bond_count,
        sum(
            case when is_case_open and not is_posted then bond_amount end
        ) as unposted_bond_amount
    from bond_status
    group by booking_key

),

case_summary as (

    select
        booking_cases.booking_key,
        count(*) as linked_case_count,
        sum(
            case when booking_cases.is_case_found then 1 else 0 end
        ) as found_case_count,
        sum(
            case
                when
                    booking_cases.convicted_date
                    <= held_through.held_through_date
                    then 1
                else 0
            end
        ) as convicted_case_count,
        min(
            case
                when
                    booking_cases.convicted_date
                    < held_through.commitment_date
                    then booking_cases.convicted_date
            end
        ) as conviction_before_stay_date,
        min(
            case
                when
                    booking_cases.convicted_date
                    >= held_through.commitment_date
                    then booking_cases.convicted_date
            end
        ) as first_conviction_date,
        case
            when
                min(
                    case
                        when booking_cases.prosecution_ended_date is null
                            then 0
                        else 1
                    end
                ) = 1
                then max(booking_cases.prosecution_ended_date)
        end as cases_ended_date
    from booking_cases
    inner join held_through
        on booking_cases.booking_key = held_through.booking_key
    group by booking_cases.booking_key

),

inputs as (

    select
        stays.booking_key,
        stays.has_detainer,
        stays.is_in_custody,
        stays.release_date,
        stays.commitment_date,
        held_through.held_through_date,
        case_summary.conviction_before_stay_date,
        case_summary.first_conviction_date,
        case_summary.cases_ended_date,
        coalesce(charge_summary.charge_count, 0) as charge_count,
        coalesce(charge_summary.case_charge_count, 0) as case_charge_count,
        coalesce(charge_summary.open_charge_count, 0) as open_charge_count,
        coalesce(case_summary.linked_case_count, 0) as linked_case_count,
        coalesce(case_summary.found_case_count, 0) as found_case_count,
        coalesce(
            case_summary.convicted_case_count, 0
        ) as convicted_case_count,
        coalesce(bond_summary.bond_count, 0) as bond_count,
        coalesce(bond_summary.unposted_bond_count, 0) as unposted_bond_count,
        coalesce(
            bond_summary.unposted_bond_amount, 0
        ) as unposted_bond_amount
    from stays
    inner join held_through
        on stays.booking_key = held_through.booking_key
    left join charge_summary
        on stays.booking_key = charge_summary.booking_key
    left join bond_summary
        on stays.booking_key = bond_summary.booking_key
    left join case_summary
        on stays.booking_key = case_summary.booking_key

),

decided as (

    select
        inputs.*,
        case
            when inputs.convicted_case_count > 0 then 'Sentenced'
            when
                inputs.open_charge_count > 0
                or inputs.unposted_bond_count > 0
                then 'Pretrial'
            when inputs.has_detainer then 'Hold'
            else 'Unknown'
        end as custody_status,
        case
            when inputs.conviction_before_stay_date is not null then false
            when inputs.has_detainer and inputs.case_charge_count = 0 then false
            else true
        end as was_held_pretrial
    from inputs

),

final as (

    select
        booking_key,
        custody_status,
        cast(charge_count as integer) as charge_count,
        cast(case_charge_count as integer) as case_charge_count,
        cast(open_charge_count as integer) as open_charge_count,
        cast(linked_case_count as integer) as linked_case_count,
        cast(found_case_count as integer) as found_case_count,
        cast(convicted_case_count as integer) as convicted_case_count,
        cast(bond_count as integer) as bond_count,
        cast(unposted_bond_count as integer) as unposted_bond_count,
        cast(unposted_bond_amount as decimal(12, 2)) as unposted_bond_amount,
        has_detainer,
        is_in_custody and custody_status = 'Pretrial' as is_held_pretrial,
        (
            is_in_custody and custody_status = 'Pretrial' and not has_detainer
        ) as is_pretrial_only,
        was_held_pretrial,
        held_through_date,
        first_conviction_date,
        cases_ended_date,
        case
            when not was_held_pretrial then null
            when custody_status = 'Sentenced' then first_conviction_date
            when custody_status = 'Pretrial' then release_date
            else coalesce(cases_ended_date, release_date)
        end as pretrial_end_date
    from decided

)

select * from final
