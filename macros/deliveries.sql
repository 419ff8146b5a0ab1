{#- Partner deliveries: one incremental model per partner (models/deliveries/<partner>/),
    whose YAML `config.meta.delivery` is the partner's configuration. The model body is

        -- depends_on: {{ ref('<the mart named in meta.delivery.source_model>') }}
        -- depends_on: {{ ref('int_deliveries_last_sent') }}
        -- depends_on: {{ ref('stg_court__removals') }}
        {{ courtlake.delivery_batch() }}

    The models it reads: stg_ledger__deliveries (the ledger of promoted files, typed),
    int_deliveries_last_sent (what each partner holds before the week being built),
    the partner's source mart and the tombstones. Each run builds the batch of one
    delivery week (var `delivery_week`, a Monday) and replaces that week's rows only
    (DuckDB delete+insert, Athena insert_overwrite of the delivery_week partition), so
    every past batch stays as an audit trail. A batch holds one row per record with
    its `delivery_action`:
      send      eligible now and never delivered to the partner
      resend    policy on_change: delivered before, and a listed field changed since
      skip      already delivered (policy never), or unchanged since (on_change)
      withdraw  delivered before, and its case has since been sealed or removed
      batch     exactly one marker row per build, so the week's partition is always
                rewritten, even when nothing is eligible
    Eligible: the source row's date column within `eligibility.within_days` of the
    week, or (option `eligibility.late_postings`) first seen since the partner's
    previous promoted week (none before its first) and dated within
    `late_postings.filed_within_days`; in the
    listed courts; every `require_true` column true. Only the ledger of promoted files
    counts as "delivered" (a staged batch that failed validation is not in it), and
    only ledger weeks before the batch's own week: a re-run of a week never excludes
    that week's own rows. -#}

{#- The delivery week: var('delivery_week') (YYYY-MM-DD, a Monday), by default the
    Monday of the current UTC date. A date that is not a Monday is an error. -#}
{% macro delivery_week() -%}
    {%- set value = var('delivery_week', none) -%}
    {%- if value is none -%}
        {%- set today = run_started_at.date() -%}
        {%- set day = today - modules.datetime.timedelta(days=today.weekday()) -%}
    {%- else -%}
        {%- set day = modules.datetime.date.fromisoformat(value | string) -%}
    {%- endif -%}
    {%- if day.weekday() != 0 -%}
        {{ exceptions.raise_compiler_error(
            "var delivery_week must be a Monday (YYYY-MM-DD), got " ~ value
        ) }}
    {%- endif -%}
    {{ return(day.isoformat()) }}
{%- endmacro %}

{#- The partner's configuration (meta.delivery), checked. Empty at parse time. A unit
    test of a delivery model has no meta of the model: it passes the model's mapping
    as var `delivery_config` (a YAML alias of the model's meta.delivery, in the same
    file, so it is written once). -#}
{% macro delivery_config() -%}
    {%- set meta = config.get('meta') or {} -%}
    {%- set cfg = meta.get('delivery') -%}
    {%- if cfg is none and model.resource_type == 'unit_test' -%}
        {%- set cfg = var('delivery_config', none) -%}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(cfg or {}) }}
    {%- endif -%}
    {%- if cfg is none -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": a delivery model needs config.meta.delivery in its YAML"
        ) }}
    {%- endif -%}
    {%- for field in [
        'partner', 'source_model', 'key_column', 'columns', 'eligibility', 'resend'
    ] -%}
        {%- if field not in cfg -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ ": meta.delivery." ~ field ~ " is missing"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if cfg.resend.policy not in ['never', 'on_change'] -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": meta.delivery.resend.policy must be never or on_change"
        ) }}
    {%- endif -%}
    {%- if cfg.resend.policy == 'on_change' and not cfg.resend.get('fields') -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": resend policy on_change needs resend.fields"
        ) }}
    {%- endif -%}
    {{ return(cfg) }}
{%- endmacro %}

{#- The incremental strategy that replaces one delivery week's rows. -#}
{% macro delivery_strategy() -%}
    {{ return(adapter.dispatch('delivery_strategy', 'courtlake')()) }}
{%- endmacro %}

{% macro default__delivery_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro athena__delivery_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- The promoted-keys ledger as a relation (read by stg_ledger__deliveries only).
    DuckDB cannot read a glob that matches no file, so before the first promotion it
    is an empty relation of the same shape; and files written before a column existed
    (key_scheme) read it as null: the files are unioned by name with that empty
    relation. An Athena external table over an empty prefix is simply empty, and its
    declared columns read null in older files. -#}
{% macro delivery_ledger() -%}
    {%- set ledger = source('ledger', 'ledger') -%}
    {{ return(adapter.dispatch('delivery_ledger', 'courtlake')(ledger)) }}
{%- endmacro %}

{% macro default__delivery_ledger(ledger) -%}
    {%- set root = var('lake_root', env_var('COURTLAKE_LAKE', 'lake')) -%}
    {%- set files = 0 -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select count(*) from glob('" ~ root ~ "/ledger/*/*/*.parquet')"
        ) -%}
        {%- set files = found.columns[0].values()[0] -%}
    {%- endif -%}
    {%- set empty -%}
        select
            cast(null as varchar) as partner,
            cast(null as varchar) as delivery_week,
            cast(null as varchar) as record_kind,
            cast(null as varchar) as delivery_key,
            cast(null as varchar) as change_hash,
            cast(null as varchar) as case_number,
            cast(null as varchar) as court,
            cast(null as varchar) as key_scheme,
            cast(null as varchar) as promoted_at
        where 1 = 0
    {%- endset -%}
    {%- if files > 0 -%}
        {{ return(
            "(select * from " ~ ledger ~ " union all by name " ~ empty ~ ") as ledger"
        ) }}
    {%- endif -%}
    {{ return("(" ~ empty ~ ") as ledger") }}
{%- endmacro %}

{% macro athena__delivery_ledger(ledger) -%}
    {{ return(ledger) }}
{%- endmacro %}

{#- The partners of this project's delivery models, as a SQL list of quoted names
    ('' when there is none, or at parse time). -#}
{% macro delivery_partner_list() -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- set meta = node.config.get('meta') or {} -%}
            {%- if node.resource_type == 'model' and meta.get('delivery') -%}
                {%- do names.append(meta.delivery.partner) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not names -%}
        {{ return("''") }}
    {%- endif -%}
    {{ return("'" ~ (names | sort | join("', '")) ~ "'") }}
{%- endmacro %}

{#- The week's batch for the partner whose model this is (see the top of this file).
    The partner's configuration decides the eligible rows, the change hash and the
    columns; what the partner already holds is int_deliveries_last_sent. -#}
{% macro delivery_batch() -%}
    {%- set cfg = courtlake.delivery_config() -%}
    {%- set week = courtlake.delivery_week() -%}
    {%- if not execute -%}
        select 1 as parsing
    {%- else -%}
    {%- set rules = cfg.eligibility -%}
    {%- set date_column = rules.get('date_column', 'filed_date') -%}
    {%- set late = rules.get('late_postings') -%}
    {%- set columns = cfg.columns -%}
    {%- set hashed = cfg.resend.get('fields') or columns -%}
    {%- set typed = model.columns -%}
    {%- set monday = "date '" ~ week ~ "'" -%}

with

mart as (

    select * from {{ ref(cfg.source_model) }}

),

last_sent as (

    select * from {{ ref('int_deliveries_last_sent') }}
    where partner = '{{ cfg.partner }}'

),

removals as (

    select * from {{ ref('stg_court__removals') }}

),

previous_delivery as (

    -- late postings count from the partner's previous promoted week (none
    -- before its first: a new partner starts with the regular window)
    select coalesce(max(last_promoted_week), {{ monday }}) as since_date
    from last_sent

),

eligible as (

    select
        cast(mart.{{ cfg.key_column }} as varchar) as delivery_key,
        {{ courtlake.surrogate_key(hashed) }} as change_hash,
        {%- for column in columns %}
        mart.{{ column }},
        {%- endfor %}
        1 as is_eligible
    from mart
    cross join previous_delivery
    where
        (
            mart.{{ date_column }} between
            {{ courtlake.add_days(monday, -(rules.within_days | int)) }}
            and {{ monday }}
            {%- if late %}
            or (
                mart.{{ late.get('first_seen_column', 'defendant_first_seen_date') }}
                > previous_delivery.since_date
                and mart.{{ late.get('first_seen_column', 'defendant_first_seen_date') }}
                <= {{ monday }}
                and mart.{{ date_column }} between
                {{ courtlake.add_days(
                    monday, -(late.filed_within_days | int)
                ) }}
                and {{ monday }}
            )
            {%- endif %}
        )
        {%- if rules.get('courts') %}
        and mart.court in (
            {%- for court in rules.courts %}
            '{{ court | replace("'", "''") }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
        {%- endif %}
        {%- for flag in rules.get('require_true', []) %}
        and mart.{{ flag }}
        {%- endfor %}

),

classified as (

    select
        eligible.*,
        last_sent.last_delivered_week,
        case
            when last_sent.delivery_key is null then 'send'
            {%- if cfg.resend.policy == 'on_change' %}
            when last_sent.change_hash <> eligible.change_hash
                then 'resend'
            {%- endif %}
            else 'skip'
        end as delivery_action
    from eligible
    left join last_sent
        on eligible.delivery_key = last_sent.delivery_key

),

withdrawals as (

    -- the partner is told the key it received
    select
        last_sent.delivered_key as delivery_key,
        last_sent.case_number,
        last_sent.court,
        last_sent.last_delivered_week,
        removals.removed_date
    from last_sent
    inner join removals
        on
            last_sent.court = removals.court
            and last_sent.case_number = removals.case_number
    where not last_sent.is_withdrawn

),

final as (

    select
        delivery_action,
        delivery_key,
        {%- for column in columns %}
        {{ courtlake.delivery_cast(column, typed) }} as {{ column }},
        {%- endfor %}
        change_hash,
        last_delivered_week,
        cast(null as date) as removed_date,
        '{{ invocation_id }}' as dbt_invocation_id,
        {{ monday }} as delivery_week
    from classified

    union all

    select
        'withdraw' as delivery_action,
        delivery_key,
        {%- for column in columns %}
        {{ courtlake.delivery_cast(
            column if column in ['case_number', 'court'] else 'null', typed, column
        ) }} as {{ column }},
        {%- endfor %}
        cast(null as varchar) as change_hash,
        last_delivered_week,
        removed_date,
        '{{ invocation_id }}' as dbt_invocation_id,
        {{ monday }} as delivery_week
    from withdrawals

    union all

    select
        'batch' as delivery_action,
        cast(null as varchar) as delivery_key,
        {%- for column in columns %}
        {{ courtlake.delivery_cast('null', typed, column) }} as {{ column }},
        {%- endfor %}
        cast(null as varchar) as change_hash,
        cast(null as date) as last_delivered_week,
        cast(null as date) as removed_date,
        '{{ invocation_id }}' as dbt_invocation_id,
        {{ monday }} as delivery_week

)

select * from final
    {%- endif -%}
{%- endmacro %}

{#- `expression` cast to the contract type of column `name` (default: expression is
    the column itself). -#}
{% macro delivery_cast(expression, typed, name=none) -%}
    {%- set column = name or expression -%}
    {%- set data_type = typed.get(column, {}).get('data_type') -%}
    {%- if data_type -%}
        cast({{ expression }} as {{ data_type }})
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}
