{#- Person names as the portals print them (`Last, First Middle Suffix`): the SQL twin of
    `ingest.names.PersonName.parse` and `ingest.names.person_key`. -#}

{#- The text before the first comma (the whole name when there is none). -#}
{% macro name_last(name) -%}
    trim(split_part({{ name }}, ',', 1))
{%- endmacro %}

{#- The first word after the first comma ('' when there is no comma or no word). -#}
{% macro name_first(name) -%}
    coalesce(
        {{ courtlake.regex_extract(
            "case when strpos(" ~ name ~ ", ',') > 0 then substr(" ~ name
            ~ ", strpos(" ~ name ~ ", ',') + 1) end",
            '^\\s*(\\S+)',
            1
        ) }},
        ''
    )
{%- endmacro %}

{#- A person name reduced to initials (`S., J.`, or `Smith, J.`): it has a first name,
    but the folded last or first name is a single character. Never resolves to a
    person: an initial matches too many people. -#}
{% macro is_initials_only(folded_last, folded_first) -%}
    (
        length({{ folded_first }}) >= 1
        and (length({{ folded_last }}) <= 1 or length({{ folded_first }}) <= 1)
    )
{%- endmacro %}

{#- Deterministic person id from folded last + first name and date of birth, equal to
    `ingest.names.person_key` (so `person_case_candidates.person_key` joins on it):
    'p_' + the first 16 hex digits of sha256('last|first|YYYY-MM-DD').
    Null unless both names have two or more characters and the date of birth is known
    (initials-only names, businesses and parties without a DOB stay unresolved). -#}
{% macro person_id(folded_last, folded_first, birth_date) -%}
    case
        when
            {{ birth_date }} is not null
            and length({{ folded_last }}) >= 2
            and length({{ folded_first }}) >= 2
            then 'p_' || substr(
                {{ courtlake.sha256_hex(
                    folded_last ~ " || '|' || " ~ folded_first
                    ~ " || '|' || cast(" ~ birth_date ~ " as varchar)"
                ) }},
                1,
                16
            )
    end
{%- endmacro %}

{#- Deterministic person id of the jail's permanent id (the person across bookings,
    whatever name or date of birth a booking prints): 'p_' + the first 16 hex digits
    of sha256('permanent_id|<id>'), the same shape as `person_id`. -#}
{% macro permanent_person_id(permanent_id) -%}
    case
        when {{ permanent_id }} is not null
            then 'p_' || substr(
                {{ courtlake.sha256_hex("'permanent_id|' || " ~ permanent_id) }},
                1,
                16
            )
    end
{%- endmacro %}

{#- The family of a party's role, for matching a party across visits: a defendant
    listed as Respondent or Tenant on another visit is the same kind of party. The
    "ALL OTHER OCCUPANTS" pseudo-party (also "AND ALL OTHER OCCUPANTS", "all others")
    is a family of its own: it is never a person. -#}
{% macro party_role_family(role, name) -%}
    case
        when coalesce({{ courtlake.regex_matches(
            'upper(' ~ name ~ ')', '^(AND )?ALL OTHERS?( OCCUPANTS)?$'
        ) }}, false) then 'occupants'
        when lower({{ role }}) in ('defendant', 'respondent', 'tenant')
            then 'defendant'
        when lower({{ role }}) in ('plaintiff', 'petitioner', 'landlord')
            then 'plaintiff'
        else coalesce(lower({{ role }}), 'party')
    end
{%- endmacro %}

{#- The given names of `first` and `other` (folded first names) agree: equal, or one
    is an initial of the other (`j` and `john`), or both are empty (a business). -#}
{% macro given_names_agree(first, other) -%}
    (
        {{ first }} = {{ other }}
        or (
            (length({{ first }}) = 1 or length({{ other }}) = 1)
            and substr({{ first }}, 1, 1) = substr({{ other }}, 1, 1)
        )
    )
{%- endmacro %}

{#- Edit distance of two strings (Levenshtein). -#}
{% macro edit_distance(left, right) -%}
    {{ return(adapter.dispatch('edit_distance', 'courtlake')(left, right)) }}
{%- endmacro %}

{% macro default__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro athena__edit_distance(left, right) -%}
    levenshtein_distance({{ left }}, {{ right }})
{%- endmacro %}
