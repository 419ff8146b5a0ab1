-- Bonds of each booking's latest person page that lists bonds, in page order
-- (one row per bond group: Case #, Amount, Status, Posted By, Post Date). A
-- later page that lists none keeps these: marts join them on the booking's own
-- latest scrape_date (stg_jail__bookings).

with

source as (

    {{ latest_visit_rows(
        source('jail', 'jail_booking_bonds'), keys=['booking_key']
    ) }}

),

renamed as (

    select
        trim(booking_key) as booking_key,
        cast(bond_seq as integer) as bond_seq,
        {{ clean_text('case_number') }} as court_case_number,
        {{ clean_text('status') }} as bond_status,
        {{ clean_text('posted_by') }} as posted_by,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('amount') }} as bond_amount,
        coalesce(
            upper({{ clean_text('status') }}) = 'POSTED', false
        ) as is_posted,
        {{ parse_iso_date('post_date') }} as post_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

final as (

    select * from renamed

)

select * from final
