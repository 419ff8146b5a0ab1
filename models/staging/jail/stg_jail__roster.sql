-- The roster history: one row per booking per roster scrape date. Presence on
-- each scrape is what tells when a booking was released (see
-- int_booking_stays_derived).

with

source as (

    select * from {{ source('jail', 'jail_roster') }}

),

renamed as (

    select
        trim(booking_number) as booking_number,
        {{ clean_text('name') }} as person_name,
        {{ clean_text('housing') }} as housing,
        {{ clean_text('custody_status') }} as custody_status,
        {{ parse_iso_date('dob') }} as birth_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('booked_at') }} as booked_at_local,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.booking_number, renamed.scrape_date
            order by renamed.scraped_at desc
        ) as row_rank
    from renamed

),

final as (

    select
        booking_number,
        person_name,
        housing,
        custody_status,
        birth_date,
        scrape_date,
        booked_at_local,
        scraped_at
    from ranked
    where row_rank = 1

)

select * from final
