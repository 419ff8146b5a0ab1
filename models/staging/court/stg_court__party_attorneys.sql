-- Attorneys of the parties ("Active Attorneys") of each case's latest scrape
-- that lists attorneys, tombstoned cases removed, in page order. Incremental
-- like stg_court__cases; marts join them on the case's latest scrape_date.

with

source as (

    {{ latest_case_children(source('court', 'court_party_attorneys')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(party_seq as integer) as party_seq,
        cast(attorney_seq as integer) as attorney_seq,
        {{ clean_text('name') }} as attorney_name,
        {{ clean_text('kind') }} as attorney_kind,
        {{ clean_text('phone') }} as attorney_phone,
        {{ clean_text('page_sha256') }} as page_sha256,
        coalesce(is_lead, false) as is_lead,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
