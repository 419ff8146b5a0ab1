-- Share of judgments that are default judgments, per plaintiff (landlord), for
-- landlords with at least 5 judged eviction cases.

with

filings as (

    select * from {{ ref('fct_eviction_filings') }}

),

cases as (

    select distinct
        case_id,
        plaintiff_name,
        judgment_type,
        is_default_judgment
    from filings

),

by_landlord as (

    select
        plaintiff_name,
        count(*) as case_count,
        sum(
            case when judgment_type is not null then 1 else 0 end
        ) as judged_count,
        sum(case when is_default_judgment then 1 else 0 end) as default_count
    from cases
    group by plaintiff_name

),

final as (

    select
        plaintiff_name,
        case_count,
        judged_count,
        default_count,
        cast(default_count as double)
        / cast(judged_count as double) as default_judgment_rate
    from by_landlord
    where judged_count >= 5

)

select * from final
order by default_judgment_rate desc, judged_count desc
