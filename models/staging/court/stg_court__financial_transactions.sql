-- Rows of each party's transactions grid in the Financial section of each
-- case's latest scrape that lists any, tombstoned cases removed. Payments and
-- credits are negative amounts. Incremental like stg_court__cases; marts join
-- them on the case's latest scrape_date.

with

source as (

    {{ latest_case_children(source('court', 'court_financial_transactions')) }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(financial_seq as integer) as financial_seq,
        cast(transaction_seq as integer) as transaction_seq,
        {{ clean_text('party_name') }} as party_name,
        {{ clean_text('description') }} as transaction_description,
        {{ clean_text('receipt') }} as receipt_number,
        {{ clean_text('payer') }} as payer_name,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('amount') }} as transaction_amount,
        {{ parse_iso_date('transaction_date') }} as transaction_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at,
        '{{ invocation_id }}' as dbt_invocation_id
    from source

),

final as (

    select * from renamed

)

select * from final
