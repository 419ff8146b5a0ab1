-- Hearings of each booking's latest person page that lists hearings (counties
-- whose person page has a Hearing Information section), in page order.

with

source as (

    {{ latest_visit_rows(
        source('jail', 'jail_booking_hearings'), keys=['booking_key']
    ) }}

),

renamed as (

    select
        trim(booking_key) as booking_key,
        cast(hearing_seq as integer) as hearing_seq,
        {{ clean_text('attributes_json') }} as hearing_attributes_json,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_iso_date('hearing_date') }} as hearing_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

final as (

    select * from renamed

)

select * from final
