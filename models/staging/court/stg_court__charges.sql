-- Charges of each criminal case's latest scrape that lists charges, tombstoned
-- cases removed. Marts join them on the case's latest scrape_date.
-- Incremental like stg_court__cases.

with

source as (

    {{ latest_case_children(source('court', 'court_charges')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(charge_seq as integer) as charge_seq,
        {{ clean_text('statute') }} as statute,
        {{ clean_text('description') }} as charge_description,
        {{ clean_text('degree') }} as charge_degree,
        {{ clean_text('charge_class') }} as charge_class,
        {{ clean_text('disposition') }} as disposition,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_iso_date('offense_date') }} as offense_date,
        {{ parse_iso_date('disposition_date') }} as disposition_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
