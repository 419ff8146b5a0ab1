-- One row per jail booking seen on a roster or a person page: the resolved
-- person, the stay and its length, and the custody status derived from the
-- person page and the court records with the inputs to that decision
-- (int_booking_custody_derived; IML prints no custody status).

with

stays as (

    select * from {{ ref('int_booking_stays_derived') }}

),

custody as (

    select * from {{ ref('int_booking_custody_derived') }}

),

mentions as (

    select * from {{ ref('int_person_mentions_resolved') }}

),

booking_people as (

    select
        booking_key,
        person_id
    from mentions
    where source_type = 'jail_booking'

),

final as (

    select
        {{ surrogate_key(['stays.booking_key']) }} as booking_id,
        stays.booking_key,
        stays.booking_number,
        stays.permanent_id,
        booking_people.person_id,
        stays.person_name,
        stays.page_name,
        stays.sex,
        stays.race,
        stays.current_location,
        stays.housing,
        custody.custody_status,
        stays.release_date_source,
        stays.bond_total_amount,
        stays.days_in_custody,
        custody.charge_count,
        custody.open_charge_count,
        custody.linked_case_count,
        custody.convicted_case_count,
        custody.bond_count,
        custody.unposted_bond_count,
        custody.unposted_bond_amount,
        stays.has_detainer,
        stays.is_in_custody,
        not stays.is_in_custody as is_released,
        custody.is_held_pretrial,
        custody.is_pretrial_only,
        custody.was_held_pretrial,
        stays.birth_date,
        stays.commitment_date,
        stays.release_date,
        custody.pretrial_end_date,
        stays.first_seen_date,
        stays.last_seen_date,
        stays.as_of_date
    from stays
    inner join custody
        on stays.booking_key = custody.booking_key
    left join booking_people
        on stays.booking_key = booking_people.booking_key

)

select * from final
