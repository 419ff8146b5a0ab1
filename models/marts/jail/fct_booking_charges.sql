-- Charges of each booking (its latest person page), with degree, class and
-- severity from the charge class seed (on the printed degree, spelled out or
-- its code, and grade) and, when the charge names a current court case, that
-- case. A charge whose case was sealed or expunged keeps the charge but loses
-- the case number.

with

charges as (

    select * from {{ ref('stg_jail__booking_charges') }}

),

bookings as (

    select * from {{ ref('stg_jail__bookings') }}

),

booking_cases as (

    select * from {{ ref('int_booking_cases_linked') }}

),

charge_classes as (

    select * from {{ ref('charge_classes') }}

),

current_charges as (

    select
        charges.*,
        bookings.booking_number
    from charges
    inner join bookings
        on
            charges.booking_key = bookings.booking_key
            and charges.scrape_date = bookings.scrape_date

),

classified as (

    select
        current_charges.*,
        charge_classes.degree as charge_degree,
        charge_classes.charge_class,
        charge_classes.charge_label,
        charge_classes.severity_rank
    from current_charges
    left join charge_classes
        on
            upper(current_charges.printed_degree)
            in (upper(charge_classes.degree), charge_classes.degree_code)
            and coalesce(upper(current_charges.printed_grade), '')
            = coalesce(charge_classes.charge_class, '')

),

final as (

    select
        {{ surrogate_key(['classified.booking_key', 'classified.charge_seq']) }}
            as booking_charge_id,
        {{ surrogate_key(['classified.booking_key']) }} as booking_id,
        booking_cases.case_id,
        classified.booking_key,
        classified.booking_number,
        classified.statute,
        classified.charge_description,
        classified.printed_grade,
        classified.printed_degree,
        classified.charge_degree,
        classified.charge_class,
        classified.charge_label,
        case
            when booking_cases.case_id is not null
                then classified.court_case_number
        end as court_case_number,
        classified.charge_seq,
        classified.severity_rank,
        classified.offense_date,
        classified.scrape_date as last_scraped_date
    from classified
    left join booking_cases
        on
            classified.booking_key = booking_cases.booking_key
            and classified.court_case_number = booking_cases.court_case_number

)

select * from final
