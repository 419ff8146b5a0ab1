-- Parties of each case's latest scrape that lists parties, tombstoned cases
-- removed. Incremental like stg_court__cases (a re-scraped case's parties are
-- replaced as a whole). Marts join parties on the case's latest scrape_date,
-- so a case re-scraped without parties does not keep its older ones there.
-- birth_year: the page's (a masked date of birth `XX/XX/1972` gives only the
-- year), else the year of a full date of birth.

with

source as (

    {{ latest_case_children(source('court', 'court_parties')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(party_seq as integer) as party_seq,
        {{ clean_text('role') }} as party_role,
        {{ clean_text('name') }} as party_name,
        {{ clean_text('gender') }} as gender,
        {{ clean_text('race') }} as race,
        {{ clean_text('address_raw') }} as address_raw,
        {{ clean_text('page_sha256') }} as page_sha256,
        coalesce(
            cast(birth_year as integer),
            cast(extract(year from {{ parse_iso_date('dob') }}) as integer)
        ) as birth_year,
        coalesce(is_pro_se, false) as is_pro_se,
        {{ parse_iso_date('dob') }} as birth_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
