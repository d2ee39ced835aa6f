"""The unit tree (Pusat/Eselon I → Kanwil → Kankemenag → madrasah, PTKIN → faculty), the people
and the roles they hold in it, and the scope each role gives (`permissions`): whom the rest of
the portal asks who may see which unit. Also the sign-in backend, unit import and the tree
pages."""
