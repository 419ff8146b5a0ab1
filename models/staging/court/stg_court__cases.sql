-- Latest found version of each case (court + case_number), tombstoned cases
-- removed. Incremental (see dbt_project.yml): a run reads only raw partitions
-- newer than the newest loaded; its pre-hook deletes the cases it rewrites and
-- those tombstoned since.

with

source as (

    select * from {{ source('court', 'court_cases') }}
    where {{ is_new_partition() }}

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

final as (

    select * from kept

)

select * from final
