-- Party addresses of each case's latest version, one row per address: the raw
-- text is kept, a street line holding several addresses ("123 A St; 456 B Rd")
-- becomes several rows, and each row gets street, unit, city, state and zip.
-- address_raw: the printed lines joined with " | ": the street line first, the
-- city line ("City ST 12345" or "City, ST 12345") last, and any line between
-- them a unit ("UNIT 1706", "417"), which belongs to the first address. A unit
-- may also end the street line ("Apt 4B", ", UNIT 1214", "# 210").
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

lined as (

    select
        court,
        case_number,
        party_seq,
        address_raw,
        split_part(street_block, '|', 1) as street_lines,
        case
            when strpos(street_block, '|') > 0
                then {{ clean_text(
                    "replace(substr(street_block, strpos(street_block, '|') + 1),"
                    ~ " '|', ' ')"
                ) }}
        end as unit_line,
        city_line,
        scrape_date
    from addressed

),

split as (

    select
        lined.court,
        lined.case_number,
        lined.party_seq,
        part_numbers.address_seq,
        lined.address_raw,
        trim(
            split_part(lined.street_lines, ';', part_numbers.address_seq)
        ) as street_line,
        case when part_numbers.address_seq = 1 then lined.unit_line end
            as unit_line,
        lined.city_line,
        lined.scrape_date
    from lined
    inner join part_numbers
        on
            part_numbers.address_seq
            <= length(lined.street_lines)
            - length(replace(lined.street_lines, ';', ''))
            + 1

),

parsed as (

    select
        court,
        case_number,
        party_seq,
        address_seq,
        address_raw,
        trim({{ regex_replace(
            'street_line',
            '(?i),?\\s+(apt|unit|suite|ste|lot|rm|#)\\.?\\s*[a-z0-9-]+$'
        ) }}) as street,
        coalesce(
            {{ regex_extract(
                'street_line',
                '(?i),?\\s((apt|unit|suite|ste|lot|rm|#)\\.?\\s*[a-z0-9-]+)$',
                1
            ) }},
            unit_line
        ) as unit,
        {{ clean_text(
            "trim(split_part(" ~ regex_replace(
                'city_line', '(,\\s*|\\s+)[A-Za-z]{2}\\s+\\d{5}(-\\d{4})?\\s*$'
            ) ~ ", ',', 1))"
        ) }} as city,
        {{ regex_extract(
            'city_line', '(,\\s*|\\s+)([A-Za-z]{2})\\s+\\d{5}(-\\d{4})?\\s*$', 2
        ) }} as state,
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
