-- The latest person page per booking key: who (as the page prints it), the
-- stay (Incarceration Information), aliases, detainers and the bond total.

with

source as (

    select * from {{ source('jail', 'jail_bookings') }}

),

renamed as (

    select
        trim(booking_key) as booking_key,
        {{ clean_text('booking_number') }} as booking_number,
        {{ clean_text('permanent_id') }} as permanent_id,
        {{ clean_text('name') }} as person_name,
        {{ clean_text('sex') }} as sex,
        {{ clean_text('race') }} as race,
        {{ clean_text('location') }} as current_location,
        {{ clean_text('housing') }} as housing,
        {{ clean_text('aliases_json') }} as aliases_json,
        {{ clean_text('detainers_json') }} as detainers_json,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('bond_grand_total') }} as bond_total_amount,
        {{ parse_iso_date('dob') }} as birth_date,
        {{ parse_iso_date('commitment_date') }} as commitment_date,
        {{ parse_iso_date('release_date') }} as release_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.booking_key
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

final as (

    select
        booking_key,
        booking_number,
        permanent_id,
        person_name,
        sex,
        race,
        current_location,
        housing,
        aliases_json,
        detainers_json,
        page_sha256,
        bond_total_amount,
        birth_date,
        commitment_date,
        release_date,
        scrape_date,
        scraped_at
    from ranked
    where version_rank = 1

)

select * from final
