-- Bonds of each criminal case's latest scrape that lists bonds, tombstoned
-- cases removed. Marts join them on the case's latest scrape_date.
-- Incremental like stg_court__cases.

with

source as (

    {{ latest_case_children(source('court', 'court_bonds')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(bond_seq as integer) as bond_seq,
        {{ clean_text('bond_type') }} as bond_type,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('amount') }} as bond_amount,
        {{ parse_iso_date('set_date') }} as set_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
