from django.urls import path

from zhengdun.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("people/search/", views.people_search, name="people_search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/add/", views.add_child, name="add_child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/economy/", views.set_economy, name="economy"),
    path("<int:pk>/people/add/", views.person_add, name="person_add"),
    path("<int:pk>/posts/add/", views.post_add, name="post_add"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
]
