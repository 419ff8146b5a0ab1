-- Eviction filings per defendant zip code and filing week (weeks start on
-- Monday). A case with defendants in several zips counts once in each.

with

filings as (

    select * from {{ ref('fct_eviction_filings') }}

),

by_zip as (

    select distinct
        case_id,
        coalesce(defendant_zip, 'unknown') as defendant_zip,
        {{ week_start('filed_date') }} as filed_week
    from filings

),

final as (

    select
        defendant_zip,
        filed_week,
        count(*) as filing_count
    from by_zip
    group by defendant_zip, filed_week

)

select * from final
order by filed_week, defendant_zip
