"""The public Open Referral UK feed (mounted at ``directory/``): see docs/directory-feed.md.

Services and locations hold ECFS's courses and the community groups (community.directory); everything else
the feed publishes (sessions, and what venues adds) comes from venues.directory_urls, included last.
"""

from django.urls import include, path

from . import directory

urlpatterns = [
    path("", directory.root, name="directory-root"),
    path("services/", directory.service_list, name="directory-services"),
    path("services/<str:id>/", directory.service_detail, name="directory-service"),
    path("locations/", directory.location_list, name="directory-locations"),
    path("taxonomies/", directory.taxonomy_list, name="directory-taxonomies"),
    path("taxonomies/<str:id>/", directory.taxonomy_detail, name="directory-taxonomy"),
    path("taxonomy_terms/", directory.taxonomy_term_list, name="directory-taxonomy-terms"),
    path("taxonomy_terms/<str:id>/", directory.taxonomy_term_detail, name="directory-taxonomy-term"),
    path("", include("venues.directory_urls")),
]
