-- Cases found by the discovery search, latest scrape per case, tombstoned cases
-- removed.
-- Incremental like stg_court__cases.

with

source as (

    select * from {{ source('court', 'court_filings') }}
    where {{ is_new_partition() }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('case_type') }} as case_type,
        {{ clean_text('style') }} as case_style,
        {{ clean_text('party_name') }} as party_name,
        {{ clean_text('status') }} as status,
        {{ parse_iso_date('filed_date') }} as filed_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

latest as (

    {{ latest_case_versions('renamed') }}

),

final as (

    select
        court,
        case_number,
        case_type,
        case_style,
        party_name,
        status,
        filed_date,
        scrape_date,
        scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from latest

)

select * from final
