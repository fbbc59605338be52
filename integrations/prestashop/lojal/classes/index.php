<?php
// No directory listing (PrestaShop's convention for module folders).
header('Location: ../');
exit;
