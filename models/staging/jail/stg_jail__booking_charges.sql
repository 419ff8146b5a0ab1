-- Charges of each booking's latest person page that lists charges, in page
-- order. A later page that lists none keeps these: marts join them on the
-- booking's own latest scrape_date (stg_jail__bookings).

with

source as (

    select * from {{ source('jail', 'jail_booking_charges') }}

),

renamed as (

    select
        trim(booking_key) as booking_key,
        cast(charge_seq as integer) as charge_seq,
        {{ clean_text('case_number') }} as court_case_number,
        {{ clean_text('code') }} as statute,
        {{ clean_text('description') }} as charge_description,
        {{ clean_text('grade') }} as printed_grade,
        {{ clean_text('degree') }} as printed_degree,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_iso_date('offense_date') }} as offense_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    -- every row of the booking's latest visit that listed charges
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
        charge_seq,
        court_case_number,
        statute,
        charge_description,
        printed_grade,
        printed_degree,
        page_sha256,
        offense_date,
        scrape_date,
        scraped_at
    from ranked
    where visit_rank = 1

)

select * from final
