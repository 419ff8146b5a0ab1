-- Judgments of each case's latest scrape that lists judgments, tombstoned cases
-- removed. Marts join them on the case's latest scrape_date.
-- Incremental like stg_court__cases.

with

source as (

    {{ latest_case_children(source('court', 'court_judgments')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(judgment_seq as integer) as judgment_seq,
        {{ clean_text('judgment_type') }} as judgment_type,
        {{ clean_text('judgment_for') }} as judgment_for,
        {{ clean_text('judicial_officer') }} as judicial_officer,
        {{ clean_text('party_names_json') }} as party_names_json,
        {{ clean_text('amounts_json') }} as amounts_json,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('amount') }} as judgment_amount,
        {{ parse_iso_date('judgment_date') }} as judgment_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
