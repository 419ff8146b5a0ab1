-- Hearings of each booking's latest person page that lists hearings (counties
-- whose person page has a Hearing Information section), in page order.

with

source as (

    select * from {{ source('jail', 'jail_booking_hearings') }}

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

ranked as (

    -- every row of the booking's latest visit that listed hearings
    select
        renamed.*,
        rank() over (
            partition by renamed.booking_key
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as visit_rank
    from renamed

),

final as (

    select
        booking_key,
        hearing_seq,
        hearing_attributes_json,
        page_sha256,
        hearing_date,
        scrape_date,
        scraped_at
    from ranked
    where visit_rank = 1

)

select * from final
