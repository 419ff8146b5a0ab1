-- Charges of each booking's latest person page that lists charges, in page
-- order. A later page that lists none keeps these: marts join them on the
-- booking's own latest scrape_date (stg_jail__bookings).

with

source as (

    {{ latest_visit_rows(
        source('jail', 'jail_booking_charges'), keys=['booking_key']
    ) }}

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

final as (

    select * from renamed

)

select * from final
