-- The Financial section of each case's latest scrape that lists one, a row
-- per party block, tombstoned cases removed. The case's totals
-- (stg_court__cases) are the sums of these. Incremental like
-- stg_court__cases; marts join them on the case's latest scrape_date.

with

source as (

    {{ latest_case_children(source('court', 'court_financials')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(financial_seq as integer) as financial_seq,
        {{ clean_text('party_name') }} as party_name,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('total_assessment') }} as total_assessment_amount,
        {{ parse_money('payments_and_credits') }}
            as payments_and_credits_amount,
        coalesce({{ parse_money('total_assessment') }}, 0)
        - coalesce({{ parse_money('payments_and_credits') }}, 0)
            as balance_due_amount,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
