"""A local Athena for tests and offline use of the prod dbt target.

Real parts only: a moto server (S3, Glue, STS), a single-node Trino whose Hive catalog
`awsdatacatalog` and Iceberg catalog keep their tables in that Glue and S3, and a small
Athena API front (`athena_local.front`) that runs each query on Trino with Athena's DDL
and CTAS semantics. Like `simulator`, nothing in the product imports this package.
"""
