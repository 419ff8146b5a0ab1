-- Party addresses of each case's latest version, one row per address: the raw
-- text is kept, a street line holding several addresses ("123 A St; 456 B Rd")
-- becomes several rows, and each row gets street, unit, city, state and zip.
-- address_raw: lines joined with " | ", the last line "City, ST 12345".
-- Incremental like int_cases_classified.
-- depends_on: {{ ref('stg_court__removals') }}

with

parties as (

    select * from {{ ref('stg_court__parties') }}
    where {{ is_changed_case() }}

),

cases as (

    select * from {{ ref('stg_court__cases') }}
    where {{ is_changed_case() }}

),

part_numbers as (

    -- enough for the longest multi-address line seen; more parts are ignored
    select 1 as address_seq
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5

),

addressed as (

    select
        parties.court,
        parties.case_number,
        parties.party_seq,
        parties.address_raw,
        coalesce(
            {{ before_last('parties.address_raw', '|') }},
            parties.address_raw
        ) as street_block,
        {{ after_last('parties.address_raw', '|') }} as city_line,
        parties.scrape_date
    from parties
    inner join cases
        on
            parties.court = cases.court
            and parties.case_number = cases.case_number
            and parties.scrape_date = cases.scrape_date
    where parties.address_raw is not null

),

split as (

    select
        addressed.court,
        addressed.case_number,
        addressed.party_seq,
        part_numbers.address_seq,
        addressed.address_raw,
        trim(
            split_part(addressed.street_block, ';', part_numbers.address_seq)
        ) as street_line,
        addressed.city_line,
        addressed.scrape_date
    from addressed
    inner join part_numbers
        on
            part_numbers.address_seq
            <= length(addressed.street_block)
            - length(replace(addressed.street_block, ';', ''))
            + 1

),

parsed as (

    select
        court,
        case_number,
        party_seq,
        address_seq,
        address_raw,
        street_line,
        trim({{ regex_replace(
            'street_line',
            '\\s+(Apt|Unit|Suite|Ste|Lot|Rm|#)\\.?\\s*[A-Za-z0-9-]+$'
        ) }}) as street,
        {{ regex_extract(
            'street_line',
            '\\s((Apt|Unit|Suite|Ste|Lot|Rm|#)\\.?\\s*[A-Za-z0-9-]+)$',
            1
        ) }} as unit,
        {{ clean_text("split_part(trim(city_line), ',', 1)") }} as city,
        {{ regex_extract('city_line', ',\\s*([A-Za-z]{2})\\s+\\d{5}', 1) }}
            as state,
        {{ regex_extract('city_line', '(\\d{5})(-\\d{4})?\\s*$', 1) }} as zip,
        scrape_date
    from split
    where street_line <> ''

),

final as (

    select
        {{ surrogate_key([
            'court', 'case_number', 'party_seq', 'address_seq'
        ]) }} as party_address_id,
        {{ surrogate_key(['court', 'case_number', 'party_seq']) }} as party_id,
        court,
        case_number,
        party_seq,
        address_seq,
        address_raw,
        street,
        unit,
        city,
        upper(state) as state,
        zip,
        street
        || coalesce(' ' || unit, '')
        || coalesce(', ' || city, '')
        || coalesce(', ' || upper(state), '')
        || coalesce(' ' || zip, '') as address_normalized,
        scrape_date,
        '{{ invocation_id }}' as dbt_invocation_id
    from parsed

)

select * from final
