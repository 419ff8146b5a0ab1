-- Latest found version of each case (court + case_number), tombstoned cases
-- removed. Incremental (merge, see dbt_project.yml): a run reads only the new
-- raw partitions and emits delete markers for loaded cases tombstoned since.

with

source as (

    select * from {{ source('court', 'court_cases') }}
    {% if is_incremental() %}
        where scrape_date > {{ incremental_watermark() }}
    {% endif %}

),

removals as (

    select * from {{ source('court', 'court_removals') }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('case_type') }} as case_type,
        {{ clean_text('status') }} as status,
        {{ clean_text('judicial_officer') }} as judicial_officer,
        {{ clean_text('change_hash') }} as change_hash,
        {{ clean_text('page_sha256') }} as page_sha256,
        {{ parse_money('fees_assessed') }} as fees_assessed_amount,
        {{ parse_money('paid') }} as paid_amount,
        {{ parse_money('balance_due') }} as balance_due_amount,
        false as is_removed,
        {{ parse_iso_date('filed_date') }} as filed_date,
        {{ parse_iso_date('balance_as_of') }} as balance_as_of_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        row_number() over (
            partition by renamed.court, renamed.case_number
            order by
                renamed.scrape_date desc,
                renamed.scraped_at desc,
                renamed.page_sha256 desc
        ) as version_rank
    from renamed

),

latest as (

    select
        court,
        case_number,
        case_type,
        status,
        judicial_officer,
        change_hash,
        page_sha256,
        fees_assessed_amount,
        paid_amount,
        balance_due_amount,
        is_removed,
        filed_date,
        balance_as_of_date,
        scrape_date,
        scraped_at
    from ranked
    where version_rank = 1

),

tombstones as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        max({{ parse_iso_date('detected_date') }}) as removed_date
    from removals
    group by trim(court), trim(case_number)

),

kept as (

    -- a tombstone removes every version up to its date; a later found one
    -- survives
    select latest.*
    from latest
    left join tombstones
        on
            latest.court = tombstones.court
            and latest.case_number = tombstones.case_number
    where
        tombstones.removed_date is null
        or latest.scrape_date > tombstones.removed_date

),

{% if is_incremental() %}

removed as (

    -- delete markers: loaded rows of cases tombstoned since, unless re-found
    select
        existing.court,
        existing.case_number,
        existing.case_type,
        existing.status,
        existing.judicial_officer,
        existing.change_hash,
        existing.page_sha256,
        existing.fees_assessed_amount,
        existing.paid_amount,
        existing.balance_due_amount,
        true as is_removed,
        existing.filed_date,
        existing.balance_as_of_date,
        existing.scrape_date,
        existing.scraped_at
    from {{ this }} as existing
    inner join tombstones
        on
            existing.court = tombstones.court
            and existing.case_number = tombstones.case_number
    left join kept
        on
            existing.court = kept.court
            and existing.case_number = kept.case_number
    where
        existing.scrape_date <= tombstones.removed_date
        and kept.case_number is null

),

{% endif %}

final as (

    select * from kept
    {% if is_incremental() %}
        union all
        select * from removed
    {% endif %}

)

select * from final
