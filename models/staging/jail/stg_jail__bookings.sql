-- Latest booking detail per booking number.

with

source as (

    select * from {{ source('jail', 'jail_bookings') }}

),

renamed as (

    select
        trim(booking_number) as booking_number,
        {{ clean_text('name') }} as person_name,
        {{ clean_text('race') }} as race,
        {{ clean_text('sex') }} as sex,
        {{ clean_text('arresting_agency') }} as arresting_agency,
        {{ clean_text('housing') }} as housing,
        {{ clean_text('custody_status') }} as custody_status,
        {{ clean_text('bond_type') }} as bond_type,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('bond_amount') }} as bond_amount,
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
            partition by renamed.booking_number
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

final as (

    select
        booking_number,
        person_name,
        race,
        sex,
        arresting_agency,
        housing,
        custody_status,
        bond_type,
        page_sha256,
        bond_amount,
        birth_date,
        scrape_date,
        booked_at_local,
        scraped_at
    from ranked
    where version_rank = 1

)

select * from final
