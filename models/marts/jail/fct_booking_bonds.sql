-- Bonds of each booking (its latest person page), one row per bond: amount,
-- status, who posted it and when, and the current court case it is set in. A
-- bond whose case was sealed or expunged keeps the bond but loses the case
-- number.

with

bonds as (

    select * from {{ ref('stg_jail__booking_bonds') }}

),

bookings as (

    select * from {{ ref('stg_jail__bookings') }}

),

booking_cases as (

    select * from {{ ref('int_booking_cases_linked') }}

),

current_bonds as (

    select
        bonds.*,
        bookings.booking_number,
        bookings.commitment_date
    from bonds
    inner join bookings
        on
            bonds.booking_key = bookings.booking_key
            and bonds.scrape_date = bookings.scrape_date

),

final as (

    select
        {{ surrogate_key([
            'current_bonds.booking_key', 'current_bonds.bond_seq'
        ]) }} as booking_bond_id,
        {{ surrogate_key(['current_bonds.booking_key']) }} as booking_id,
        booking_cases.case_id,
        current_bonds.booking_key,
        current_bonds.booking_number,
        case
            when booking_cases.case_id is not null
                then current_bonds.court_case_number
        end as court_case_number,
        current_bonds.bond_status,
        current_bonds.posted_by,
        current_bonds.bond_seq,
        current_bonds.bond_amount,
        cast(
            {{ days_between(
                'current_bonds.commitment_date', 'current_bonds.post_date'
            ) }} as integer
        ) as days_to_post,
        current_bonds.is_posted,
        current_bonds.commitment_date,
        current_bonds.post_date,
        current_bonds.scrape_date as last_scraped_date
    from current_bonds
    left join booking_cases
        on
            current_bonds.booking_key = booking_cases.booking_key
            and current_bonds.court_case_number
            = booking_cases.court_case_number

)

select * from final
