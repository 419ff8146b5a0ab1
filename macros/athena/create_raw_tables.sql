{#- Athena: create the raw external tables (and the delivery ledger) from the source YAML.

    dbt run-operation create_raw_tables --target prod [--args '{replace: true, dry_run: true}']

    One external Parquet table per source table of this project that carries
    `meta.athena` (location + partitions): columns and types from the YAML `columns:`,
    the Parquet SerDe, partition projection (no MSCK REPAIR, no crawler: partitions are
    computed from the table properties) and `storage.location.template`. `replace: true`
    drops and re-creates the tables (external: the data stays); `dry_run: true` only
    prints the DDL. On DuckDB the sources read the lake directly and this is a no-op. -#}

{% macro create_raw_tables(replace=false, dry_run=false) -%}
    {{ return(adapter.dispatch('create_raw_tables', 'courtlake')(replace, dry_run)) }}
{%- endmacro %}

{% macro default__create_raw_tables(replace, dry_run) -%}
    {{ log("create_raw_tables: nothing to do on " ~ target.type
        ~ " (sources read the lake through meta.external_location)", info=true) }}
{%- endmacro %}

{% macro athena__create_raw_tables(replace, dry_run) -%}
    {%- set created = [] -%}
    {%- for node in graph.sources.values()
        if node.package_name == project_name and node.meta.get('athena') -%}
        {%- set relation = api.Relation.create(
            database=node.database, schema=node.schema, identifier=node.identifier
        ) -%}
        {%- set ddl = courtlake.raw_table_ddl(node) -%}
        {%- if dry_run -%}
            {{ log(ddl ~ ";", info=true) }}
        {%- else -%}
            {%- if node.schema not in created -%}
                {%- do adapter.create_schema(relation) -%}
                {%- do created.append(node.schema) -%}
            {%- endif -%}
            {%- if replace -%}
                {%- do run_query(
                    "drop table if exists `" ~ node.schema ~ "`.`" ~ node.identifier ~ "`"
                ) -%}
            {%- endif -%}
            {%- do run_query(ddl) -%}
            {{ log("created " ~ node.schema ~ "." ~ node.identifier, info=true) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- The CREATE EXTERNAL TABLE statement of one source node (also used by the tests). -#}
{% macro raw_table_ddl(node) -%}
    {%- set spec = node.meta['athena'] -%}
    {%- set location = spec['location'].format(name=node.identifier).rstrip('/') ~ '/' -%}
    {%- set partitions = spec.get('partitions', []) -%}
    {%- set partition_names = partitions | map(attribute='name') | list -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() if column.name not in partition_names -%}
        {%- do columns.append(
            "`" ~ column.name ~ "` " ~ (column.data_type or 'string')
            ~ " comment '" ~ courtlake.ddl_comment(column.description) ~ "'"
        ) -%}
    {%- endfor -%}
    {%- set properties = {'projection.enabled': 'true'} -%}
    {%- set template = [location.rstrip('/')] -%}
    {%- for partition in partitions -%}
        {%- for key, value in partition['projection'].items() -%}
            {%- do properties.update(
                {'projection.' ~ partition['name'] ~ '.' ~ key: value | string}
            ) -%}
        {%- endfor -%}
        {%- do template.append(partition['name'] ~ '=${' ~ partition['name'] ~ '}') -%}
    {%- endfor -%}
    {%- do properties.update({'storage.location.template': template | join('/') ~ '/'}) -%}
create external table if not exists `{{ node.schema }}`.`{{ node.identifier }}` (
    {{ columns | join(',\n    ') }}
)
comment '{{ courtlake.ddl_comment(node.description) }}'
{%- if partitions %}
partitioned by (
    {%- for partition in partitions %}
    `{{ partition['name'] }}` {{ partition.get('type', 'string') }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
)
{%- endif %}
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location '{{ location }}'
tblproperties (
    {%- for key, value in properties.items() %}
    '{{ key }}' = '{{ value }}'{% if not loop.last %},{% endif %}
    {%- endfor %}
)
{%- endmacro %}

{% macro ddl_comment(text) -%}
    {{- (text or '') | replace("'", "") | replace('\n', ' ') | truncate(250, true, '') -}}
{%- endmacro %}
