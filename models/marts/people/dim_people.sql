-- One row per resolved person, seen in the jail or as a party of a current
-- court case: a permanent-id person (every booking of the jail's permanent id,
-- and the appearances printing a name + DOB one of those bookings prints), else
-- a name + DOB person (int_person_mentions_resolved). Name fields come from the
-- most recent appearance. Contract-enforced: analysts and deliveries read it.

with

mentions as (

    select * from {{ ref('int_person_mentions_resolved') }}

),

person_cases as (

    select * from {{ ref('int_person_cases_matched') }}

),

resolved as (

    select * from mentions
    where person_id is not null

),

ranked as (

    select
        resolved.*,
        row_number() over (
            partition by resolved.person_id
            order by
                resolved.seen_date desc,
                resolved.source_type asc,
                resolved.raw_name asc
        ) as recency_rank
    from resolved

),

appearances as (

    select
        person_id,
        max(resolved_permanent_id) as permanent_id,
        min(seen_date) as first_seen_date,
        max(seen_date) as last_seen_date,
        count(distinct booking_key) as booking_count,
        count(distinct name_dob_key) as name_dob_count
    from resolved
    group by person_id

),

case_counts as (

    select
        person_id,
        count(*) as court_case_count
    from person_cases
    where match_rule = 'exact_name_dob'
    group by person_id

),

final as (

    select
        ranked.person_id,
        appearances.permanent_id,
        case
            when appearances.permanent_id is not null then 'permanent_id'
            else 'name_dob'
        end as id_source,
        ranked.raw_name as full_name,
        ranked.last_name,
        ranked.first_name,
        cast(appearances.booking_count as integer) as booking_count,
        cast(
            coalesce(case_counts.court_case_count, 0) as integer
        ) as court_case_count,
        cast(appearances.name_dob_count as integer) as name_dob_count,
        appearances.booking_count > 0 as has_bookings,
        coalesce(case_counts.court_case_count, 0) > 0 as has_court_cases,
        ranked.birth_date,
        appearances.first_seen_date,
        appearances.last_seen_date
    from ranked
    inner join appearances
        on ranked.person_id = appearances.person_id
    left join case_counts
        on ranked.person_id = case_counts.person_id
    where ranked.recency_rank = 1

)

select * from final
