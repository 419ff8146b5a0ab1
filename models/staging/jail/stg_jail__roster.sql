-- The roster history: one row per booking key per roster scrape date. The
-- roster lists everyone in custody and, where the search offers it, people
-- released in the last 30 days with their release date: presence and release
-- dates over the scrapes give each stay's end (int_booking_stays_derived).

with

source as (

    select * from {{ source('jail', 'jail_roster') }}

),

renamed as (

    select
        trim(booking_key) as booking_key,
        {{ clean_text('booking_number') }} as booking_number,
        {{ clean_text('permanent_id') }} as permanent_id,
        {{ clean_text('name') }} as person_name,
        {{ clean_text('attributes_json') }} as roster_attributes_json,
        {{ parse_iso_date('dob') }} as birth_date,
        {{ parse_iso_date('release_date') }} as release_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.booking_key, renamed.scrape_date
            order by renamed.scraped_at desc
        ) as row_rank
    from renamed

),

final as (

    select
        booking_key,
        booking_number,
        permanent_id,
        person_name,
        roster_attributes_json,
        birth_date,
        release_date,
        scrape_date,
        scraped_at
    from ranked
    where row_rank = 1

)

select * from final
