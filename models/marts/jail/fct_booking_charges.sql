-- Charges of each booking (its latest booking page), with severity from the
-- charge class seed and, when the charge names a current court case, that case.
-- A charge whose case was sealed or expunged keeps the charge but loses the
-- case number.

with

charges as (

    select * from {{ ref('stg_jail__booking_charges') }}

),

charge_classes as (

    select * from {{ ref('charge_classes') }}

),

cases as (

    select * from {{ ref('int_cases_classified') }}

),

criminal_cases as (

    -- case numbers are unique per kind and year; keep one case per number
    select
        case_id,
        case_number,
        row_number() over (
            partition by case_number order by court
        ) as case_rank
    from cases
    where case_kind = 'criminal'

),

final as (

    select
        {{ surrogate_key(['charges.booking_number', 'charges.charge_seq']) }}
            as booking_charge_id,
        {{ surrogate_key(['charges.booking_number']) }} as booking_id,
        criminal_cases.case_id,
        charges.booking_number,
        charges.statute,
        charges.charge_description,
        charges.charge_degree,
        charges.charge_class,
        charge_classes.charge_label,
        case
            when criminal_cases.case_id is not null
                then charges.court_case_number
        end as court_case_number,
        charges.charge_seq,
        charge_classes.severity_rank,
        charges.scrape_date as last_scraped_date
    from charges
    left join charge_classes
        on
            charges.charge_degree = charge_classes.degree
            and coalesce(charges.charge_class, '')
            = coalesce(charge_classes.charge_class, '')
    left join criminal_cases
        on
            charges.court_case_number = criminal_cases.case_number
            and criminal_cases.case_rank = 1

)

select * from final
