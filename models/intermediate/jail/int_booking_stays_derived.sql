-- One row per booking seen on a roster or a booking page: who (latest name +
-- DOB), when booked, and the stay as the weekly roster shows it. A booking is
-- released on the first roster scrape that no longer lists it; its pretrial
-- time ends on the first scrape listing it as Sentenced, or at release. Dates
-- are as precise as the scrapes (weekly): the release happened between the last
-- listing and released_date.

with

roster as (

    select * from {{ ref('stg_jail__roster') }}

),

bookings as (

    select * from {{ ref('stg_jail__bookings') }}

),

roster_dates as (

    select distinct scrape_date from roster

),

presence as (

    select
        booking_number,
        min(scrape_date) as first_seen_date,
        max(scrape_date) as last_seen_date,
        min(
            case when custody_status = 'Pretrial' then scrape_date end
        ) as first_pretrial_date,
        min(
            case when custody_status = 'Sentenced' then scrape_date end
        ) as sentenced_date
    from roster
    group by booking_number

),

latest_listing as (

    select
        roster.*,
        row_number() over (
            partition by roster.booking_number
            order by roster.scrape_date desc, roster.scraped_at desc
        ) as listing_rank
    from roster

),

releases as (

    select
        presence.booking_number,
        min(roster_dates.scrape_date) as released_date
    from presence
    inner join roster_dates
        on presence.last_seen_date < roster_dates.scrape_date
    group by presence.booking_number

),

as_of as (

    select max(scrape_date) as as_of_date from roster_dates

),

booking_numbers as (

    select booking_number from presence
    union
    select booking_number from bookings

),

final as (

    select
        booking_numbers.booking_number,
        coalesce(
            bookings.person_name, latest_listing.person_name
        ) as person_name,
        bookings.race,
        bookings.sex,
        bookings.arresting_agency,
        coalesce(
            latest_listing.custody_status, bookings.custody_status
        ) as custody_status,
        coalesce(latest_listing.housing, bookings.housing) as housing,
        bookings.bond_type,
        bookings.bond_amount,
        coalesce(
            presence.first_pretrial_date is not null
            or bookings.custody_status = 'Pretrial',
            false
        ) as was_pretrial,
        releases.released_date is not null as is_released,
        coalesce(bookings.birth_date, latest_listing.birth_date) as birth_date,
        cast(
            coalesce(bookings.booked_at_local, latest_listing.booked_at_local)
            as date
        ) as booked_date,
        presence.first_seen_date,
        presence.last_seen_date,
        releases.released_date,
        presence.sentenced_date,
        coalesce(
            presence.sentenced_date, releases.released_date
        ) as pretrial_end_date,
        as_of.as_of_date,
        coalesce(
            bookings.booked_at_local, latest_listing.booked_at_local
        ) as booked_at_local
    from booking_numbers
    cross join as_of
    left join presence
        on booking_numbers.booking_number = presence.booking_number
    left join latest_listing
        on
            booking_numbers.booking_number = latest_listing.booking_number
            and latest_listing.listing_rank = 1
    left join bookings
        on booking_numbers.booking_number = bookings.booking_number
    left join releases
        on booking_numbers.booking_number = releases.booking_number

)

select * from final
