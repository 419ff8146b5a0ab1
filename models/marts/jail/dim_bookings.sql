-- One row per jail booking seen on a roster or a booking page.

with

stays as (

    select * from {{ ref('int_booking_stays_derived') }}

),

mentions as (

    select * from {{ ref('int_person_mentions_resolved') }}

),

booking_people as (

    select
        booking_number,
        person_id
    from mentions
    where source_type = 'jail_booking'

),

final as (

    select
        {{ surrogate_key(['stays.booking_number']) }} as booking_id,
        stays.booking_number,
        booking_people.person_id,
        stays.person_name,
        stays.race,
        stays.sex,
        stays.arresting_agency,
        stays.custody_status,
        stays.housing,
        stays.bond_type,
        cast(stays.bond_amount as decimal(12, 2)) as bond_amount,
        stays.was_pretrial,
        stays.is_released,
        stays.birth_date,
        stays.booked_date,
        stays.first_seen_date,
        stays.last_seen_date,
        stays.released_date,
        stays.booked_at_local
    from stays
    left join booking_people
        on stays.booking_number = booking_people.booking_number

)

select * from final
