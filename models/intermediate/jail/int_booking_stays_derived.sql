-- One row per booking seen on a roster or a person page: who (the roster's
-- name, the page's identity facts), the stay and its length in days. The
-- release date is the latest person page's, else the latest roster listing's
-- (the roster lists released people for 30 days with their release date, so a
-- stay that ended between two weekly scrapes has its real date); only a booking
-- that leaves the roster without either (a county whose search cannot list
-- released people) is taken as released on the first scrape without it.

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

as_of as (

    select max(scrape_date) as as_of_date from roster_dates

),

presence as (

    select
        booking_key,
        min(scrape_date) as first_seen_date,
        max(scrape_date) as last_seen_date
    from roster
    group by booking_key

),

latest_listing as (

    select
        roster.*,
        row_number() over (
            partition by roster.booking_key
            order by roster.scrape_date desc, roster.scraped_at desc
        ) as listing_rank
    from roster

),

departures as (

    -- the first roster scrape after a booking's last listing
    select
        presence.booking_key,
        min(roster_dates.scrape_date) as left_roster_date
    from presence
    inner join roster_dates
        on presence.last_seen_date < roster_dates.scrape_date
    group by presence.booking_key

),

booking_keys as (

    select booking_key from presence
    union
    select booking_key from bookings

),

joined as (

    select
        booking_keys.booking_key,
        coalesce(
            bookings.booking_number, latest_listing.booking_number
        ) as booking_number,
        coalesce(
            bookings.permanent_id, latest_listing.permanent_id
        ) as permanent_id,
        coalesce(
            latest_listing.person_name, bookings.person_name
        ) as person_name,
        bookings.person_name as page_name,
        bookings.sex,
        bookings.race,
        bookings.current_location,
        bookings.housing,
        bookings.aliases_json,
        bookings.detainers_json,
        bookings.page_sha256,
        bookings.bond_total_amount,
        coalesce(
            bookings.birth_date, latest_listing.birth_date
        ) as birth_date,
        bookings.commitment_date,
        bookings.release_date as page_release_date,
        latest_listing.release_date as listed_release_date,
        departures.left_roster_date,
        presence.first_seen_date,
        presence.last_seen_date,
        bookings.scrape_date as page_scrape_date,
        as_of.as_of_date
    from booking_keys
    cross join as_of
    left join presence
        on booking_keys.booking_key = presence.booking_key
    left join latest_listing
        on
            booking_keys.booking_key = latest_listing.booking_key
            and latest_listing.listing_rank = 1
    left join bookings
        on booking_keys.booking_key = bookings.booking_key
    left join departures
        on booking_keys.booking_key = departures.booking_key

),

released as (

    select
        joined.*,
        coalesce(
            joined.page_release_date,
            joined.listed_release_date,
            joined.left_roster_date
        ) as release_date,
        case
            when joined.page_release_date is not null then 'person_page'
            when joined.listed_release_date is not null then 'roster'
            when joined.left_roster_date is not null then 'left_roster'
        end as release_date_source
    from joined

),

final as (

    select
        booking_key,
        booking_number,
        permanent_id,
        person_name,
        page_name,
        sex,
        race,
        current_location,
        housing,
        aliases_json,
        detainers_json,
        release_date_source,
        page_sha256,
        bond_total_amount,
        cast(
            {{ days_between(
                'commitment_date', 'coalesce(release_date, as_of_date)'
            ) }} as integer
        ) as days_in_custody,
        release_date is null as is_in_custody,
        detainers_json is not null as has_detainer,
        birth_date,
        commitment_date,
        release_date,
        first_seen_date,
        last_seen_date,
        page_scrape_date,
        as_of_date
    from released

)

select * from final
