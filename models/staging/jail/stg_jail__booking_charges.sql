-- Charges of each booking's latest scrape that lists charges.

with

source as (

    select * from {{ source('jail', 'jail_booking_charges') }}

),

renamed as (

    select
        trim(booking_number) as booking_number,
        cast(charge_seq as integer) as charge_seq,
        {{ clean_text('statute') }} as statute,
        {{ clean_text('description') }} as charge_description,
        {{ clean_text('degree') }} as charge_degree,
        {{ clean_text('charge_class') }} as charge_class,
        {{ clean_text('court_case_number') }} as court_case_number,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        max(renamed.scrape_date) over (
            partition by renamed.booking_number
        ) as booking_scrape_date,
        row_number() over (
            partition by renamed.booking_number, renamed.charge_seq
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

final as (

    select
        booking_number,
        charge_seq,
        statute,
        charge_description,
        charge_degree,
        charge_class,
        court_case_number,
        page_sha256,
        scrape_date,
        scraped_at
    from ranked
    where version_rank = 1 and scrape_date = booking_scrape_date

)

select * from final
