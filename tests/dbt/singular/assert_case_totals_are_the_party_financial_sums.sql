-- A case's assessed and paid totals are the sums of the Financial section's
-- party blocks of the same scrape (compaction derives them from those blocks),
-- and a case shows totals exactly when that scrape listed a block. Returns the
-- cases where that does not hold.

with

cases as (

    select * from {{ ref('stg_court__cases') }}

),

financials as (

    select * from {{ ref('stg_court__financials') }}

),

sums as (

    select
        court,
        case_number,
        scrape_date,
        sum(coalesce(total_assessment_amount, 0)) as total_assessment_amount,
        sum(coalesce(payments_and_credits_amount, 0))
            as payments_and_credits_amount
    from financials
    group by court, case_number, scrape_date

),

final as (

    select
        cases.court,
        cases.case_number,
        cases.fees_assessed_amount,
        sums.total_assessment_amount,
        cases.paid_amount,
        sums.payments_and_credits_amount
    from cases
    left join sums
        on
            cases.court = sums.court
            and cases.case_number = sums.case_number
            and cases.scrape_date = sums.scrape_date
    where
        (cases.fees_assessed_amount is null) <> (sums.court is null)
        or cases.fees_assessed_amount <> sums.total_assessment_amount
        or cases.paid_amount <> sums.payments_and_credits_amount

)

select * from final
